"""What the board learns from its cases: /stats for coordinators, small counts suppressed."""
