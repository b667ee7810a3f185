//! Charts as typed SVG views: horizontal bars (counts by status, region, category, year) and
//! stacked columns (shares over months). Labels are text nodes and attribute values, never
//! markup, so a name from the API cannot become markup.

use leptos::prelude::*;

use crate::format;
use crate::i18n::{Key, Lang};
use crate::ui::{lang, t};

/// One bar: its key (`data-key`), its label in the language, its count and CSS class.
pub struct Bar {
    pub key: String,
    pub label: Signal<String>,
    pub count: i64,
    pub class: &'static str,
}

/// The width of a bar of `n` out of `max` on a `full`-wide scale: zero for nothing, at least
/// 2 for something (so a small count stays visible).
pub fn bar_width(n: i64, max: i64, full: i64) -> i64 {
    if n <= 0 {
        0
    } else {
        (n * full / max.max(1)).max(2)
    }
}

/// Counts as a horizontal SVG bar chart with the label and the count beside each bar.
#[component]
pub fn BarChart(id: &'static str, label: Key, bars: Vec<Bar>) -> impl IntoView {
    const ROW: i64 = 28;
    const LABEL: i64 = 190;
    const BAR: i64 = 260;
    let max = bars.iter().map(|b| b.count).max().unwrap_or(0).max(1);
    let view_box = format!("0 0 {} {}", LABEL + BAR + 50, ROW * bars.len() as i64 + 4);
    let rows = bars
        .into_iter()
        .enumerate()
        .map(|(i, b)| {
            let y = i as i64 * ROW + 2;
            let n = b.count;
            let w = bar_width(n, max, BAR);
            view! {
                <g data-key=b.key>
                    <text x="0" y=y + 18 class="bar-label">{b.label}</text>
                    <rect x=LABEL y=y + 4 width=w height=ROW - 8 rx="3" class=b.class></rect>
                    <text x=LABEL + w + 6 y=y + 18 class="bar-value">
                        {move || format::number(lang(), n)}
                    </text>
                </g>
            }
        })
        .collect_view();
    view! {
        <div class="chart-box">
            <svg
                class="chart"
                id=id
                role="img"
                aria-label=t(label)
                viewBox=view_box
                preserveAspectRatio="xMinYMin meet"
            >
                {rows}
            </svg>
        </div>
    }
}

/// A group the columns stack: its CSS class and label.
pub type Group = (&'static str, Key);

/// One column: its key (`data-period`), its label (a tooltip) and axis text, and a count per
/// group (in the order of the groups).
pub struct Column {
    pub key: String,
    pub label: String,
    pub axis: String,
    pub counts: Vec<i64>,
}

/// The tops and bottoms of a column's segments on a `height`-high scale, stacked by
/// cumulative share so rounding never leaves a column short: `(top, bottom)` per count.
pub fn stack(counts: &[i64], height: i64) -> Vec<(i64, i64)> {
    let total = counts.iter().sum::<i64>().max(1);
    let mut below = 0;
    counts
        .iter()
        .map(|n| {
            let bottom = height - below * height / total;
            below += n;
            (height - below * height / total, bottom)
        })
        .collect()
}

/// Shares over time as stacked SVG columns (the counts of each column in its tooltip) with
/// a legend of the groups.
#[component]
pub fn StackedColumns(
    id: &'static str,
    label: Key,
    groups: &'static [Group],
    columns: Vec<Column>,
) -> impl IntoView {
    const COL: i64 = 34;
    const HEIGHT: i64 = 160;
    let view_box = format!("0 0 {} {}", COL * columns.len() as i64, HEIGHT + 22);
    let cols = columns
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let x = i as i64 * COL;
            let segments = stack(&c.counts, HEIGHT)
                .into_iter()
                .zip(groups)
                .map(|((top, bottom), (class, _))| {
                    view! { <rect x=x + 4 y=top width=COL - 8 height=bottom - top class=*class></rect> }
                })
                .collect_view();
            let (counts, name) = (c.counts, c.label);
            let tooltip = move || tooltip(lang(), &name, groups, &counts);
            view! {
                <g class="trend-month" data-period=c.key>
                    <title>{tooltip}</title>
                    {segments}
                    <text x=x + COL / 2 y=HEIGHT + 16 text-anchor="middle" class="axis">{c.axis}</text>
                </g>
            }
        })
        .collect_view();
    let legend = groups
        .iter()
        .map(|(class, key)| {
            view! {
                <li>
                    <svg width="12" height="12" aria-hidden="true">
                        <rect width="12" height="12" class=*class></rect>
                    </svg>
                    " "
                    {t(*key)}
                </li>
            }
        })
        .collect_view();
    view! {
        <div class="trend-box">
            <svg
                class="chart trend"
                id=id
                role="img"
                aria-label=t(label)
                viewBox=view_box
                preserveAspectRatio="xMinYMin meet"
            >
                {cols}
            </svg>
            <ul class="legend">{legend}</ul>
        </div>
    }
}

/// "03.2024 — Breach: 2, On track: 40, …".
fn tooltip(l: Lang, name: &str, groups: &[Group], counts: &[i64]) -> String {
    let parts: Vec<String> = groups
        .iter()
        .zip(counts)
        .map(|((_, k), n)| format!("{}: {}", l.text(*k), format::number(l, *n)))
        .collect();
    format!("{name} — {}", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_and_stay_visible() {
        assert_eq!(bar_width(0, 10, 260), 0);
        assert_eq!(bar_width(10, 10, 260), 260);
        assert_eq!(bar_width(1, 1000, 260), 2);
        assert_eq!(bar_width(5, 0, 260), 260 * 5);
    }

    #[test]
    fn stacked_segments_fill_the_column_exactly() {
        let s = stack(&[1, 1, 1], 160);
        assert_eq!(s.first().map(|x| x.1), Some(160));
        assert_eq!(s.last().map(|x| x.0), Some(0));
        for w in s.windows(2) {
            assert_eq!(w[0].0, w[1].1, "segments touch");
        }
        assert_eq!(stack(&[0, 0], 160), vec![(160, 160), (160, 160)]);
    }
}
