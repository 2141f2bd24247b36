"""The geometry of a claim's status timeline: status lanes along a time axis, the status
as a step line through them, and the dated evidence as marks; drawn as inline SVG by
`templates/claims/timeline.html`."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from claims.models import Status

WIDTH, LEFT, RIGHT, TOP, LANE, AXIS = 760, 112, 16, 8, 24, 40


@dataclass(frozen=True)
class Segment:
    x1: float
    x2: float
    y: float
    status: str


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    stance: str
    label: str


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    lanes: list[tuple[str, str, float]]  # (status, label, y)
    segments: list[Segment]
    risers: list[tuple[float, float, float]]  # (x, y1, y2) at each change
    marks: list[Mark]
    ticks: list[tuple[float, str]]
    left: float  # the plot area's left and right edges
    right: float
    marks_y: float
    label_x: float = LEFT - 8

    @property
    def axis_y(self) -> float:
        return self.height - 12


def build(*, start: datetime, changes, evidence) -> Timeline:
    """`start`: when the claim was first made; `changes`: its StatusChange rows in order;
    `evidence`: its Evidence rows with their articles."""
    dated = [e for e in evidence if e.article.published_at]
    times = [start, *(c.changed_at for c in changes), *(e.article.published_at for e in dated)]
    first, last = min(times), max(times)
    span = max(last - first, timedelta(days=1))
    first, last = first - span * 0.04, last + span * 0.08
    right = WIDTH - RIGHT

    def x(moment: datetime) -> float:
        return round(LEFT + (moment - first) / (last - first) * (right - LEFT), 1)

    lane_y = {value: TOP + i * LANE + LANE / 2 for i, value in enumerate(Status.values)}
    marks_y = TOP + len(Status.values) * LANE + LANE / 2
    segments, risers = [], []
    status, since = Status.UNVERIFIED, start
    for change in changes:
        segments.append(Segment(x(since), x(change.changed_at), lane_y[status], status))
        risers.append((x(change.changed_at), lane_y[change.from_status], lane_y[change.to_status]))
        status, since = change.to_status, change.changed_at
    segments.append(Segment(x(since), right, lane_y[status], status))
    marks = [
        Mark(
            x(e.article.published_at),
            marks_y,
            e.stance,
            f"{e.get_stance_display()}: {e.article.title}",
        )
        for e in dated
    ]
    return Timeline(
        width=WIDTH,
        height=int(marks_y + LANE / 2 + AXIS),
        lanes=[(value, label, lane_y[value]) for value, label in Status.choices],
        segments=segments,
        risers=risers,
        marks=marks,
        ticks=_ticks(first, last, x),
        left=LEFT,
        right=right,
        marks_y=marks_y,
    )


def _ticks(first: datetime, last: datetime, x) -> list[tuple[float, str]]:
    """About five evenly spaced dates along the axis."""
    step = (last - first) / 5
    moments = [first + step * i for i in range(1, 5)]
    return [(x(m), f"{m.day} {m:%b %Y}") for m in moments]
