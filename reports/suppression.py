"""Small-cell suppression of counts of people and person-events.

Primary: a count from 1 to threshold-1 is hidden. Every hidden cell, primary or secondary, shows
the one mark :data:`SUPPRESSED_MARK` - never a value or a bound, which could be false for a cell
hidden only to protect a neighbour.
Secondary: cells are tied together by *lines* - a total and the cells that add up to it, on the
same sheet or across sheets (the Summary's program total is also the total row of "By site" and
"By month"). Whenever a line holds exactly one hidden cell, that cell could be recovered by
subtraction, so the smallest visible cell of the line (non-zero first) is hidden as well; this
repeats until no line changes. A line is listed as ``[members..., total]``; the total is just
another cell of the line, so a total may be hidden too.
"""
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field


SUPPRESSED_MARK = "*"


def footnote(threshold: int) -> str:
    """What the mark means, printed under every table that may hold it."""
    return (f"{SUPPRESSED_MARK} hidden to protect privacy: counts of 1–{threshold - 1}, and cells "
            "from which such a count could be worked out.")


def is_small(value: int, threshold: int) -> bool:
    return 0 < value < threshold


@dataclass
class SuppressionPlan:
    """Values of person-count cells keyed by any hashable, and the lines that tie them."""

    threshold: int
    values: dict[Hashable, int] = field(default_factory=dict)
    lines: list[tuple[Hashable, ...]] = field(default_factory=list)

    def add(self, key: Hashable, value: int) -> None:
        self.values[key] = int(value)

    def line(self, members: Iterable[Hashable], total: Hashable) -> None:
        """Declare that ``total`` is the sum of ``members`` (all shown somewhere)."""
        cells = tuple(members) + (total,)
        if len(cells) > 1:
            self.lines.append(cells)

    def solve(self) -> set[Hashable]:
        """Return the keys to hide: primary, then secondary until stable."""
        hidden = {k for k, v in self.values.items() if is_small(v, self.threshold)}
        changed = True
        while changed:
            changed = False
            for cells in self.lines:
                in_line = [c for c in cells if c in hidden]
                if len(in_line) != 1:
                    continue
                visible = [c for c in cells if c not in hidden]
                if not visible:
                    continue
                # Prefer a non-zero partner: a hidden zero next to one hidden value protects less.
                pick = min(visible, key=lambda c: (self.values[c] == 0, self.values[c], str(c)))
                hidden.add(pick)
                changed = True
        return hidden


def derivable_cells(hidden: set, lines: Sequence[Sequence]) -> set:
    """Hidden cells that are alone in some line (so total minus visible gives them away)."""
    leaks = set()
    for cells in lines:
        in_line = [c for c in cells if c in hidden]
        if len(in_line) == 1:
            leaks.add(in_line[0])
    return leaks
