//! Menus: the week's menu per day (dishes ticked per day, saved with
//! `setSchoolMenu`), last week's copied in one step; the dishes with photo, price, portion
//! and allergens, added and changed here; and the families' ratings over a chosen span (two
//! weeks to a year): averages per dish and per week, and their comments without names.

use leptos::html::Input;
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::format;
use crate::gql::school::{self as gs, Allergen};
use crate::i18n::Key;
use crate::pages::common::{
    add_days, allergen_key, allergen_names, monday_of, tenge, today, with_school,
};
use crate::ui::{PageTitle, chosen_files, error_view, fill, lang, loaded, t};

type Dish = gs::school_week::SchoolDishParts;

/// Days shown: the whole week (some schools teach on Saturdays).
const DAYS: i64 = 7;

#[component]
pub fn MenusPage() -> impl IntoView {
    view! {
        <PageTitle key=Key::NavMenus/>
        {with_school(|s| view! { <Menus school=s/> }.into_any())}
    }
}

#[component]
fn Menus(school: String) -> impl IntoView {
    let school = StoredValue::new(school);
    let week = RwSignal::new(monday_of(&today()));
    let reload = RwSignal::new(0u32);
    let data = api::query::<gs::SchoolWeek>(move || {
        reload.track();
        let w = week.get();
        let d = |n: i64| add_days(&w, n);
        gs::school_week::Variables {
            school_id: school.get_value(),
            d0: d(0),
            d1: d(1),
            d2: d(2),
            d3: d(3),
            d4: d(4),
            d5: d(5),
            d6: d(6),
            p0: d(-7),
            p1: d(-6),
            p2: d(-5),
            p3: d(-4),
            p4: d(-3),
            p5: d(-2),
            p6: d(-1),
        }
    });
    // The week as ticked: per day, the dishes' ids.
    let grid: RwSignal<Vec<Vec<String>>> = RwSignal::new(vec![Vec::new(); DAYS as usize]);
    let last_week: RwSignal<Vec<Vec<String>>> = RwSignal::new(vec![Vec::new(); DAYS as usize]);
    Effect::new(move |_| {
        if let Some(Ok(d)) = data.get() {
            macro_rules! ids {
                ($($m:expr),*) => { vec![$($m.into_iter().map(|x| x.id).collect::<Vec<_>>()),*] };
            }
            grid.set(ids!(d.m0, d.m1, d.m2, d.m3, d.m4, d.m5, d.m6));
            last_week.set(ids!(d.l0, d.l1, d.l2, d.l3, d.l4, d.l5, d.l6));
        }
    });
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let saved = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let editing: RwSignal<Option<Option<Dish>>> = RwSignal::new(None);
    let save_week = move || {
        error.set(None);
        saved.set(false);
        busy.set(true);
        let w = week.get_untracked();
        let days = grid.get_untracked();
        leptos::task::spawn_local(async move {
            for (i, ids) in days.into_iter().enumerate() {
                let sent = api::call::<gs::SchoolSetMenu>(gs::school_set_menu::Variables {
                    school_id: school.get_value(),
                    day: add_days(&w, i as i64),
                    dish_ids: ids,
                })
                .await;
                if let Err(e) = sent {
                    error.set(Some(e));
                    busy.set(false);
                    return;
                }
            }
            saved.set(true);
            busy.set(false);
            reload.update(|n| *n += 1);
        });
    };
    let week_title = move || {
        let l = lang();
        fill(
            l.text(Key::SchoolWeekOf),
            &[("date", format::date(l, &week.get()))],
        )
    };
    view! {
        <div class="toolbar">
            <button type="button" class="secondary" id="prev-week" on:click=move |_| week.update(|w| *w = add_days(w, -7))>
                {t(Key::SchoolPrevWeek)}
            </button>
            <strong id="week-title">{week_title}</strong>
            <button type="button" class="secondary" id="next-week" on:click=move |_| week.update(|w| *w = add_days(w, 7))>
                {t(Key::SchoolNextWeek)}
            </button>
        </div>
        {move || {
            loaded(
                data.get(),
                move |d| {
                    let l = lang();
                    let w = week.get_untracked();
                    let heads = (0..DAYS)
                        .map(|i| view! { <th scope="col">{format::short_date(l, &add_days(&w, i))}</th> })
                        .collect_view();
                    let rows = d
                        .school_dishes
                        .into_iter()
                        .filter(|x| x.active)
                        .map(|dish| dish_row(dish, &w, grid, editing))
                        .collect_view();
                    view! {
                        <section class="panel" aria-labelledby="menu-title">
                            <h2 id="menu-title">{l.text(Key::NavMenus)}</h2>
                            <div class="table-wrap">
                                <table id="week-menu">
                                    <thead>
                                        <tr>
                                            <th scope="col">{l.text(Key::SchoolDish)}</th>
                                            <th scope="col">{l.text(Key::SchoolPrice)}</th>
                                            <th scope="col">{l.text(Key::SchoolPortion)}</th>
                                            <th scope="col">{l.text(Key::SchoolAllergens)}</th>
                                            {heads}
                                            <th scope="col">{l.text(Key::Actions)}</th>
                                        </tr>
                                    </thead>
                                    <tbody>{rows}</tbody>
                                </table>
                            </div>
                            <p class="actions">
                                <button type="button" id="save-week" disabled=move || busy.get() on:click=move |_| save_week()>
                                    {l.text(Key::SchoolSaveWeek)}
                                </button>
                                <button type="button" class="secondary" id="copy-last-week" disabled=move || busy.get() on:click=move |_| {
                                    grid.set(last_week.get_untracked());
                                    save_week();
                                }>
                                    {l.text(Key::SchoolCopyLastWeek)}
                                </button>
                                <button type="button" class="secondary" id="add-dish" on:click=move |_| editing.set(Some(None))>
                                    {l.text(Key::SchoolAddDish)}
                                </button>
                            </p>
                        </section>
                    }
                    .into_any()
                },
            )
        }}
        {error_view(error)}
        {move || saved.get().then(|| view! { <div class="alert success" role="status" id="week-saved">{t(Key::SchoolWeekSaved)}</div> })}
        {move || editing.get().map(|dish| view! { <DishForm school=school.get_value() dish=dish editing=editing reload=reload/> })}
        <Ratings school=school.get_value() week=week/>
    }
}

fn dish_row(
    dish: Dish,
    week: &str,
    grid: RwSignal<Vec<Vec<String>>>,
    editing: RwSignal<Option<Option<Dish>>>,
) -> impl IntoView + use<> {
    let l = lang();
    let photo = dish
        .photo_url
        .clone()
        .map(|src| view! { <img class="thumb" src=src alt=""/> });
    let days = (0..DAYS as usize)
        .map(|i| {
            let id = dish.id.clone();
            let id2 = dish.id.clone();
            let label = format!(
                "{} {}",
                dish.name,
                format::short_date(l, &add_days(week, i as i64))
            );
            let cell_id = format!("menu-{i}-{}", dish.id);
            view! {
                <td>
                    <input
                        type="checkbox"
                        id=cell_id
                        aria-label=label
                        prop:checked=move || grid.with(|g| g[i].contains(&id))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            grid.update(|g| {
                                g[i].retain(|x| *x != id2);
                                if on {
                                    g[i].push(id2.clone());
                                }
                            });
                        }
                    />
                </td>
            }
        })
        .collect_view();
    let name = dish.name.clone();
    let price = tenge(l, dish.price);
    let portion = dish.portion.clone();
    let allergens = allergen_names(l, &dish.allergens);
    view! {
        <tr class="dish-row">
            <th scope="row">{photo} " " <span class="dish-name">{name}</span></th>
            <td class="num">{price}</td>
            <td>{portion}</td>
            <td>{allergens}</td>
            {days}
            <td>
                <button type="button" class="secondary edit-dish" on:click=move |_| editing.set(Some(Some(dish.clone())))>
                    {l.text(Key::Edit)}
                </button>
            </td>
        </tr>
    }
}

/// The spans of ratings a school may read, in days, ending with the week shown.
const SPANS: [(i64, Key); 4] = [
    (14, Key::SchoolSpanTwoWeeks),
    (28, Key::SchoolSpanFourWeeks),
    (91, Key::SchoolSpanThreeMonths),
    (364, Key::SchoolSpanYear),
];

/// The families' ratings over a span ending with the shown week's Sunday: averages per dish
/// and per week, and what they wrote (latest first, without names).
#[component]
fn Ratings(school: String, week: RwSignal<String>) -> impl IntoView {
    let school = StoredValue::new(school);
    let span = RwSignal::new(SPANS[0].0);
    let range = move || {
        let to = add_days(&week.get(), DAYS - 1);
        (add_days(&to, 1 - span.get()), to)
    };
    let data = api::query::<gs::SchoolRatings>(move || {
        let (from, to) = range();
        gs::school_ratings::Variables {
            school_id: school.get_value(),
            from,
            to,
        }
    });
    let options = move || {
        let l = lang();
        SPANS
            .iter()
            .map(|&(days, key)| {
                view! { <option value=days.to_string() selected=move || span.get() == days>{l.text(key)}</option> }
            })
            .collect_view()
    };
    let caption = move || {
        let l = lang();
        let (from, to) = range();
        fill(
            l.text(Key::SchoolRatingsRange),
            &[
                ("from", format::short_date(l, &from)),
                ("to", format::short_date(l, &to)),
            ],
        )
    };
    view! {
        <section class="panel" aria-labelledby="ratings-title">
            <h2 id="ratings-title">{t(Key::SchoolRatings)}</h2>
            <div class="field">
                <label for="ratings-span">{t(Key::SchoolRatingsSpan)}</label>
                <select id="ratings-span" on:change=move |ev| {
                    if let Ok(days) = event_target_value(&ev).parse() {
                        span.set(days);
                    }
                }>{options}</select>
            </div>
            <p class="hint" id="ratings-range">{caption}</p>
            {move || loaded(data.get(), |d| ratings_view(d.school_meal_ratings))}
        </section>
    }
}

fn ratings_view(r: gs::school_ratings::SchoolRatingsSchoolMealRatings) -> AnyView {
    let l = lang();
    let avg = |a: f64| {
        let tenths = (a * 10.0).round() as i64;
        let sep = if l == crate::i18n::Lang::En { "." } else { "," };
        let mut s = (tenths / 10).to_string();
        s.push_str(sep);
        s.push_str(&(tenths % 10).to_string());
        s
    };
    if r.dishes.is_empty() && r.weeks.is_empty() {
        return view! { <p class="muted">{l.text(Key::SchoolNoRatings)}</p> }.into_any();
    }
    let dishes = r
        .dishes
        .into_iter()
        .map(|d| view! { <tr><td>{d.dish.name}</td><td class="num">{d.ratings}</td><td class="num">{avg(d.average)}</td></tr> })
        .collect_view()
        .into_any();
    let weeks = r
        .weeks
        .into_iter()
        .map(|w| view! { <tr><td>{format::short_date(l, &w.week_start)}</td><td class="num">{w.ratings}</td><td class="num">{avg(w.average)}</td></tr> })
        .collect_view()
        .into_any();
    let comments = if r.comments.is_empty() {
        view! { <p class="muted">{l.text(Key::SchoolNoComments)}</p> }.into_any()
    } else {
        let rows = r
            .comments
            .into_iter()
            .map(|c| {
                let dishes = c
                    .dishes
                    .into_iter()
                    .map(|d| d.name)
                    .collect::<Vec<_>>()
                    .join(", ");
                view! {
                    <tr class="comment">
                        <td>{format::short_date(l, &c.day)}</td>
                        <td class="num">{c.score}</td>
                        <td>{dishes}</td>
                        <td>{c.comment}</td>
                    </tr>
                }
            })
            .collect_view()
            .into_any();
        crate::ui::table(
            l,
            "ratings-comments",
            "",
            &[
                Key::SchoolDay,
                Key::SchoolScore,
                Key::SchoolDish,
                Key::SchoolComments,
            ],
            rows,
        )
    };
    view! {
        <h3>{l.text(Key::SchoolRatingsPerDish)}</h3>
        {crate::ui::table(l, "ratings-dishes", "", &[Key::SchoolDish, Key::SchoolRatingsCount, Key::SchoolAverage], dishes)}
        <h3>{l.text(Key::SchoolRatingsPerWeek)}</h3>
        {crate::ui::table(l, "ratings-weeks", "", &[Key::SchoolValidFrom, Key::SchoolRatingsCount, Key::SchoolAverage], weeks)}
        <h3>{l.text(Key::SchoolComments)}</h3>
        {comments}
    }
    .into_any()
}

#[component]
fn DishForm(
    school: String,
    dish: Option<Dish>,
    editing: RwSignal<Option<Option<Dish>>>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let school = StoredValue::new(school);
    let id = dish.as_ref().map(|d| d.id.clone());
    let d = dish.unwrap_or(Dish {
        id: String::new(),
        name: String::new(),
        name_kk: String::new(),
        name_ru: String::new(),
        name_en: String::new(),
        photo_url: None,
        price: 0,
        portion: String::new(),
        allergens: Vec::new(),
        active: true,
    });
    let name_kk = RwSignal::new(d.name_kk);
    let name_ru = RwSignal::new(d.name_ru);
    let name_en = RwSignal::new(d.name_en);
    let price = RwSignal::new(d.price.to_string());
    let portion = RwSignal::new(d.portion);
    let allergens: RwSignal<Vec<Allergen>> = RwSignal::new(d.allergens);
    let active = RwSignal::new(d.active);
    let photo_url = d.photo_url;
    let file: NodeRef<Input> = NodeRef::new();
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let title = if id.is_some() {
        Key::SchoolEditDish
    } else {
        Key::SchoolAddDish
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        busy.set(true);
        let input = gs::school_save_dish::SchoolDishInput {
            name_kk: name_kk.get_untracked(),
            name_ru: name_ru.get_untracked(),
            name_en: name_en.get_untracked(),
            photo_url: photo_url.clone(),
            price: price.get_untracked().trim().parse().unwrap_or(-1),
            portion: portion.get_untracked(),
            allergens: allergens.get_untracked(),
            active: active.get_untracked(),
        };
        let id = id.clone();
        let photo = chosen_files(file).into_iter().next();
        leptos::task::spawn_local(async move {
            let saved = api::call::<gs::SchoolSaveDish>(gs::school_save_dish::Variables {
                school_id: school.get_value(),
                id,
                input,
            })
            .await;
            let result = match saved {
                Ok(d) => match photo {
                    Some(f) => api::call_with_files::<gs::SchoolDishPhoto>(
                        gs::school_dish_photo::Variables {
                            school_id: school.get_value(),
                            dish_id: d.save_school_dish.id,
                            photo: (),
                        },
                        vec![("variables.photo".into(), f)],
                    )
                    .await
                    .map(|_| ()),
                    None => Ok(()),
                },
                Err(e) => Err(e),
            };
            busy.set(false);
            match result {
                Ok(()) => {
                    editing.set(None);
                    reload.update(|n| *n += 1);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let text_field = |fid: &'static str, key: Key, sig: RwSignal<String>| {
        view! {
            <div class="field">
                <label for=fid>{t(key)}</label>
                <input id=fid required=true prop:value=move || sig.get() on:input=move |ev| sig.set(event_target_value(&ev))/>
            </div>
        }
    };
    let boxes = Allergen::ALL
        .iter()
        .map(|a| {
            let a = *a;
            let bid = format!("dish-allergen-{}", a.as_str());
            view! {
                <div class="field checkbox">
                    <input
                        type="checkbox"
                        id=bid.clone()
                        prop:checked=move || allergens.with(|v| v.contains(&a))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            allergens.update(|v| {
                                v.retain(|x| *x != a);
                                if on {
                                    v.push(a);
                                }
                            });
                        }
                    />
                    <label for=bid>{t(allergen_key(a))}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="dish-form-title">
            <h2 id="dish-form-title">{t(title)}</h2>
            <form id="dish-form" on:submit=on_submit>
                <div class="grid">
                    {text_field("dish-name-kk", Key::NameKk, name_kk)}
                    {text_field("dish-name-ru", Key::NameRu, name_ru)}
                    {text_field("dish-name-en", Key::NameEn, name_en)}
                    <div class="field">
                        <label for="dish-price">{t(Key::SchoolPrice)}</label>
                        <input id="dish-price" type="number" min="0" required=true prop:value=move || price.get() on:input=move |ev| price.set(event_target_value(&ev))/>
                    </div>
                    {text_field("dish-portion", Key::SchoolPortion, portion)}
                    <div class="field">
                        <label for="dish-photo">{t(Key::SchoolPhoto)}</label>
                        <input id="dish-photo" type="file" accept="image/png,image/jpeg" node_ref=file/>
                    </div>
                </div>
                <fieldset>
                    <legend>{t(Key::SchoolAllergens)}</legend>
                    <div class="chips">{boxes}</div>
                </fieldset>
                <div class="field checkbox">
                    <input type="checkbox" id="dish-active" prop:checked=move || active.get() on:change=move |ev| active.set(event_target_checked(&ev))/>
                    <label for="dish-active">{t(Key::SchoolDishActive)}</label>
                </div>
                <p class="actions">
                    <button type="submit" id="dish-save" disabled=move || busy.get()>{t(Key::Save)}</button>
                    <button type="button" class="secondary" on:click=move |_| editing.set(None)>{t(Key::Cancel)}</button>
                </p>
            </form>
            {error_view(error)}
        </section>
    }
}
