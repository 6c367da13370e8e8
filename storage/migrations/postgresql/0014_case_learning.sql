-- What the board learns from a case (issue 21).

-- The fourth factor group of the source, split again: relations between professionals and the
-- framework are two groups (they were merged as "system"). Stored keys are renamed, in the cases
-- and in any /newcase or /editcase dialogue left open.
UPDATE cases SET factors = REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(factors, 'system.prof_conflict', 'relations.prof_conflict'), 'system.differing_views', 'relations.differing_views'), 'system.anxiety', 'relations.anxiety'), 'system.social_distance', 'relations.social_distance'), 'system.no_framework', 'framework.no_framework'), 'system.roles_undefined', 'framework.roles_undefined'), 'system.no_sync', 'framework.no_sync'), 'system.not_formalised', 'framework.not_formalised') WHERE factors LIKE '%system.%';
UPDATE dialogs SET draft = REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(REPLACE(draft, 'system.prof_conflict', 'relations.prof_conflict'), 'system.differing_views', 'relations.differing_views'), 'system.anxiety', 'relations.anxiety'), 'system.social_distance', 'relations.social_distance'), 'system.no_framework', 'framework.no_framework'), 'system.roles_undefined', 'framework.roles_undefined'), 'system.no_sync', 'framework.no_sync'), 'system.not_formalised', 'framework.not_formalised') WHERE draft LIKE '%system.%';

-- Strengths and unmet needs (comma-separated keys, bot/data/case_lists.toml), the child's own
-- view (yes / no / not_possible, and the day it was recorded), and what was tried for the child
-- ("key=helped|partly|not", comma-separated). Keys only: no free text in these columns.
ALTER TABLE cases ADD COLUMN strengths TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN needs TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN child_view TEXT NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN child_view_on TEXT;
ALTER TABLE cases ADD COLUMN interventions TEXT NOT NULL DEFAULT '';

-- Related cases (siblings, a twin placed elsewhere), by their codes only; stored once per pair,
-- the smaller id first, and gone with either case.
CREATE TABLE case_links (
    case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    other_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('sibling', 'twin', 'same_family', 'other')),
    created_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (case_id, other_id),
    CHECK (case_id < other_id)
);
CREATE INDEX case_links_by_other ON case_links (other_id);
