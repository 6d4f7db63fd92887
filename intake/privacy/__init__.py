"""Personal information duties in code: where resident data lives (the inventory) and how long it stays
(retention and its sweep)."""
