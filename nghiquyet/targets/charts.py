"""ECharts options built on the server, as plain JSON (the page script
adds the Vietnamese number formatting a JSON cannot carry)."""

from __future__ import annotations

from decimal import Decimal

from .rollup import Outcome, Rollup

OUTCOME_COLORS = {
    Outcome.EXCEEDED: "#1b7f3b",
    Outcome.MET: "#58b368",
    Outcome.NOT_MET: "#d9822b",
    Outcome.NOT_ASSESSED: "#b8c0c6",
}
ORDER = [Outcome.EXCEEDED, Outcome.MET, Outcome.NOT_MET, Outcome.NOT_ASSESSED]
FONT = {"fontFamily": "Segoe UI, Noto Sans, Arial, sans-serif"}

# Shown in place of a chart with nothing to draw (an empty axis reads as "zero").
NO_DATA = "Chưa có số liệu"


def has_data(option: dict | None) -> bool:
    """Whether a chart option has at least one value to draw. Templates
    show NO_DATA instead of a chart without one (static/js/app.js does the
    same for options it is handed)."""
    if not option:
        return False
    for series in option.get("series") or []:
        for point in series.get("data") or []:
            value = point.get("value") if isinstance(point, dict) else point
            if value is not None:
                return True
    return False


def _num(v: Decimal | None) -> float | None:
    return None if v is None else float(v)


def outcomes_by_group(r: Rollup) -> dict:
    """A stacked bar per target group: how many targets vượt / đạt / chưa đạt / chưa đánh giá."""
    groups = r.by_group()
    names = [label for label, _ in groups]
    series = []
    for key in ORDER:
        series.append(
            {
                "name": Outcome.LABELS[key],
                "type": "bar",
                "stack": "kq",
                "itemStyle": {"color": OUTCOME_COLORS[key]},
                "label": {"show": True},
                "data": [sum(1 for t in items if t.outcome == key) or None for _, items in groups],
            }
        )
    return {
        "textStyle": FONT,
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"bottom": 0},
        "grid": {"left": 8, "right": 16, "top": 8, "bottom": 40, "containLabel": True},
        "xAxis": {"type": "value", "minInterval": 1},
        "yAxis": {
            "type": "category",
            "data": names,
            "inverse": True,
            "axisLabel": {"width": 140, "overflow": "break", "lineHeight": 14},
        },
        "series": series,
    }


def values_by_unit(
    names: list[str], values: list[Decimal | None], goal: Decimal | None, measure: str
) -> dict:
    """One bar per unit, the goal as a line."""
    series: dict = {
        "name": "Kết quả",
        "type": "bar",
        "itemStyle": {"color": "#0b4f8a"},
        "data": [_num(v) for v in values],
    }
    if goal is not None:
        series["markLine"] = {
            "symbol": "none",
            "lineStyle": {"color": "#b3141c", "type": "dashed"},
            "label": {"formatter": "Mục tiêu"},
            "data": [{"yAxis": float(goal)}],
        }
    return {
        "textStyle": FONT,
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 8, "right": 24, "top": 32, "bottom": 8, "containLabel": True},
        "xAxis": {
            "type": "category",
            "data": names,
            "axisLabel": {"rotate": 30 if len(names) > 6 else 0, "interval": 0},
        },
        "yAxis": {"type": "value", "name": measure, "nameTextStyle": {"align": "left"}},
        "series": [series],
    }


PROVISIONAL = "Tạm tính (kỳ chưa hoàn tất)"


def values_by_period(
    labels: list[str],
    values: list[Decimal | None],
    goal: Decimal | None,
    measure: str,
    provisional: list[bool] | None = None,
) -> dict:
    """The target's value period by period, the goal as a line. A period
    not yet complete (still running, or its reporting window open) is not
    drawn as a final figure: it goes on a dashed line of hollow points,
    over a shaded band named "Tạm tính", so a low partial figure does not
    read as a plunge."""
    provisional = provisional or [False] * len(values)
    final = [None if p else _num(v) for v, p in zip(values, provisional, strict=True)]
    series: dict = {
        "name": "Kết quả",
        "type": "line",
        "connectNulls": False,
        "symbolSize": 8,
        "itemStyle": {"color": "#0b4f8a"},
        "data": final,
    }
    extra: list[dict] = []
    if any(provisional):
        open_data: list[float | None] = [
            _num(v) if p else None for v, p in zip(values, provisional, strict=True)
        ]
        first = provisional.index(True)
        if first and final[first - 1] is not None:
            open_data[first - 1] = final[first - 1]  # joins the last final figure
        shaded = [i for i, p in enumerate(provisional) if p]
        extra.append(
            {
                "name": PROVISIONAL,
                "type": "line",
                "connectNulls": False,
                "symbol": "emptyCircle",
                "symbolSize": 8,
                "lineStyle": {"type": "dashed"},
                "itemStyle": {"color": "#7a8a99"},
                "data": open_data,
                "markArea": {
                    "silent": True,
                    "itemStyle": {"color": "rgba(184, 192, 198, 0.18)"},
                    "label": {"position": "insideTop", "color": "#5a6570"},
                    "data": [
                        [{"name": "Tạm tính", "xAxis": labels[shaded[0]]}, {"xAxis": labels[shaded[-1]]}]
                    ],
                },
            }
        )
    if goal is not None:
        series["markLine"] = {
            "symbol": "none",
            "lineStyle": {"color": "#b3141c", "type": "dashed"},
            "label": {"formatter": "Mục tiêu"},
            "data": [{"yAxis": float(goal)}],
        }
    return {
        "textStyle": FONT,
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 8, "right": 24, "top": 32, "bottom": 36 if extra else 8, "containLabel": True},
        "xAxis": {"type": "category", "data": labels},
        "yAxis": {"type": "value", "name": measure, "nameTextStyle": {"align": "left"}},
        "legend": {"bottom": 0, "show": bool(extra)},
        "series": [series, *extra],
    }
