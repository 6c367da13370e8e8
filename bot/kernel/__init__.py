"""What every capability shares: configuration, the clock, the message catalogs, the outbox,
dialogues, the access policy, buttons, board settings, the people acting, and text hygiene."""
