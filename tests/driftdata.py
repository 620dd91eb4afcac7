"""A source text, its cosmetic edit (date stamp, counter, menu) and its real change, for drift tests."""

from __future__ import annotations

PASSAGE = "The port authority said container traffic through the harbour rose by 12 percent in 2023."
PAGE = (
    "Updated 3 March 2024. Views: 1,204. Home | News | Trade\n\n" + PASSAGE + " New cranes installed in the spring "
    "cut the average time to unload a ship from 30 hours to 18 hours. Dock workers' unions welcomed the investment "
    "but warned about staffing levels on night shifts."
)
COSMETIC = PAGE.replace("Updated 3 March 2024. Views: 1,204.", "Updated 9 May 2024. Views: 98,311.").replace(
    "Home | News | Trade", "Home | World | Trade | Sport"
)
DRIFTED = PAGE.replace(PASSAGE, "The port authority declined to publish traffic figures for last year.")
CLAIM = "Container traffic through the harbour rose by 12 percent in 2023, according to the port authority."
