"""The tabs of one cycle: one pane per step of the guide, plus the overview."""
