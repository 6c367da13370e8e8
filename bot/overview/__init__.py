"""What needs me today: one private overview per board (``/today``)."""
