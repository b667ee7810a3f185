//! Priority queue for children's club vouchers in an akimat's campaign.
//!
//! The rule, as published:
//!
//! 1. Each application counts as an [`Entry`] with no personal data: the child appears only as
//!    `child_hash`, the hex SHA-256 of `salt ":" IIN`, which the parent can recompute from the
//!    salt on their receipt.
//! 2. A child's score is the sum of the weights, in the campaign's versioned [`PriorityTable`],
//!    of the child's confirmed vulnerability categories. A category is counted once even if it
//!    is listed twice; a category missing from the table weighs 0.
//! 3. Children are ranked by score, highest first. Equal scores are separated by the table's
//!    tie rules, in order: younger first, older first (age in whole months on the day the
//!    application window closed), or lottery. Any remaining tie is settled by the lottery key,
//!    lowest first, and, if two lottery keys were ever equal, by the child hash, lowest first.
//! 4. The lottery key of a child is the hex SHA-256 of `seed ":" child_hash`. The seed is secret
//!    until the run, but its SHA-256 (the seed commitment) is published when the campaign opens,
//!    before any application, so nobody can pick a seed that favours a child.
//! 5. The time of application is never an input: applying on the first or the last day of the
//!    window makes no difference.
//! 6. Vouchers are issued down the ranking while the next child's voucher (monthly value of the
//!    chosen direction times the months paid for) fits in what remains of the budget. At the
//!    first child whose voucher does not fit, issuing stops: a lower-ranked child never gets a
//!    voucher ahead of a higher-ranked one because their direction is cheaper.
//! 7. The whole run is published as an [`AllocationFile`]; anyone can check it with [`verify`],
//!    which recomputes the ranking from the file's own inputs.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Format tag of a published allocation file.
pub const FORMAT: &str = "adal.voucher-allocation/1";

/// Most differences of one kind that [`verify`] lists one by one; the rest are counted.
const MAX_LISTED: usize = 10;

/// One application in the queue. It carries no personal data and no application time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// hex SHA-256 of `salt ":" child_iin` — the parent recomputes it from the salt on their receipt.
    pub child_hash: String,
    /// Confirmed vulnerability categories (codes like "orphan", "disability"), as given.
    pub categories: Vec<String>,
    /// Age in whole months on the day the application window closed.
    pub age_months: u32,
    /// The club direction applied for.
    pub direction: String,
    /// The direction's monthly voucher value, integer tenge.
    pub monthly_value: i64,
}

/// The campaign's priority table: category weights and tie rules, under a version number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorityTable {
    /// Version of the table; a changed table gets a new version.
    pub version: i32,
    /// Weight of each vulnerability category code.
    pub weights: BTreeMap<String, i64>,
    /// Rules that order children with equal scores, applied in this order.
    pub ties: Vec<TieBreak>,
}

/// A rule ordering children with equal scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TieBreak {
    /// Smaller `age_months` first.
    YoungerFirst,
    /// Larger `age_months` first.
    OlderFirst,
    /// Smaller lottery key first.
    Lottery,
}

/// One child's place in the ranking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ranked {
    /// The child's hash, as in the [`Entry`].
    pub child_hash: String,
    /// The child's score under the priority table.
    pub score: i64,
    /// 1-based place in the ranking; `rank - 1` children are ahead.
    pub rank: u32,
    /// Whether this run issued the child a voucher.
    pub issued: bool,
}

/// A published allocation run: its inputs and its result, enough for anyone to recompute it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllocationFile {
    /// Always [`FORMAT`].
    pub format: String,
    /// The campaign this run belongs to.
    pub campaign_id: i64,
    /// The priority table used.
    pub table: PriorityTable,
    /// The lottery seed, revealed with the result.
    pub seed: String,
    /// hex SHA-256 of the seed, published when the campaign opened, before any application.
    pub seed_commitment: String,
    /// Budget available to this run, tenge.
    pub available: i64,
    /// Months each voucher issued by this run is paid for.
    pub months: i64,
    /// All applications taking part in the run.
    pub entries: Vec<Entry>,
    /// The ranking, in rank order, with the vouchers issued.
    pub result: Vec<Ranked>,
}

/// Outcome of [`verify`]: the problems found, as plain sentences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    /// Problems found; empty when the file is consistent.
    pub problems: Vec<String>,
}

impl Verification {
    /// True when no problem was found.
    pub fn matches(&self) -> bool {
        self.problems.is_empty()
    }
}

fn sha256_hex(input: &[u8]) -> String {
    hex::encode(Sha256::digest(input))
}

fn lottery_digest(seed: &str, child_hash: &str) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(seed.as_bytes());
    hasher.update(b":");
    hasher.update(child_hash.as_bytes());
    hasher.finalize().into()
}

/// The child's hash: hex SHA-256 of `"{salt}:{iin}"`.
pub fn child_hash(salt: &str, iin: &str) -> String {
    sha256_hex(format!("{salt}:{iin}").as_bytes())
}

/// The seed commitment: hex SHA-256 of the seed.
pub fn seed_commitment(seed: &str) -> String {
    sha256_hex(seed.as_bytes())
}

/// The child's lottery key: hex SHA-256 of `"{seed}:{child_hash}"`.
pub fn lottery_key(seed: &str, child_hash: &str) -> String {
    hex::encode(lottery_digest(seed, child_hash))
}

/// Sum of the weights of the distinct categories; a category not in the table weighs 0.
pub fn score(table: &PriorityTable, categories: &[String]) -> i64 {
    let mut total: i64 = 0;
    for (i, category) in categories.iter().enumerate() {
        if categories[..i].contains(category) {
            continue;
        }
        let weight = table.weights.get(category).copied().unwrap_or(0);
        total = total.saturating_add(weight);
    }
    total
}

/// Everything the order depends on, computed once per entry and kept inline so that the
/// comparator touches no other memory.
struct SortKey<'a> {
    score: i64,
    age_months: u32,
    /// The lottery digest as two big-endian halves: they order exactly like its bytes, and so
    /// like its lowercase hex.
    lottery: [u128; 2],
    entry: &'a Entry,
    index: usize,
}

fn lottery_halves(digest: [u8; 32]) -> [u128; 2] {
    let mut high = [0u8; 16];
    let mut low = [0u8; 16];
    high.copy_from_slice(&digest[..16]);
    low.copy_from_slice(&digest[16..]);
    [u128::from_be_bytes(high), u128::from_be_bytes(low)]
}

fn compare(a: &SortKey<'_>, b: &SortKey<'_>, ties: &[TieBreak]) -> Ordering {
    b.score
        .cmp(&a.score)
        .then_with(|| {
            for tie in ties {
                let order = match tie {
                    TieBreak::YoungerFirst => a.age_months.cmp(&b.age_months),
                    TieBreak::OlderFirst => b.age_months.cmp(&a.age_months),
                    TieBreak::Lottery => a.lottery.cmp(&b.lottery),
                };
                if order != Ordering::Equal {
                    return order;
                }
            }
            Ordering::Equal
        })
        .then_with(|| a.lottery.cmp(&b.lottery))
        .then_with(|| a.entry.child_hash.cmp(&b.entry.child_hash))
        // Only duplicated hashes get here (an invalid input that `verify` reports); comparing
        // the rest of the entry keeps even that order independent of the input order.
        .then_with(|| {
            let (x, y) = (a.entry, b.entry);
            x.age_months
                .cmp(&y.age_months)
                .then_with(|| x.monthly_value.cmp(&y.monthly_value))
                .then_with(|| x.direction.cmp(&y.direction))
                .then_with(|| x.categories.cmp(&y.categories))
        })
}

/// The ranking plus, for each position, the index of its entry in `entries`.
fn rank_with_order(
    table: &PriorityTable,
    seed: &str,
    entries: &[Entry],
) -> (Vec<Ranked>, Vec<usize>) {
    let mut keys: Vec<SortKey<'_>> = entries
        .iter()
        .enumerate()
        .map(|(index, entry)| SortKey {
            score: score(table, &entry.categories),
            age_months: entry.age_months,
            lottery: lottery_halves(lottery_digest(seed, &entry.child_hash)),
            entry,
            index,
        })
        .collect();
    keys.sort_unstable_by(|a, b| compare(a, b, &table.ties));
    let ranked = keys
        .iter()
        .enumerate()
        .map(|(pos, key)| Ranked {
            child_hash: key.entry.child_hash.clone(),
            score: key.score,
            rank: u32::try_from(pos.saturating_add(1)).unwrap_or(u32::MAX),
            issued: false,
        })
        .collect();
    let order = keys.iter().map(|key| key.index).collect();
    (ranked, order)
}

/// Ranks the entries by the published rule; returned in rank order with `issued` false.
pub fn rank(table: &PriorityTable, seed: &str, entries: &[Entry]) -> Vec<Ranked> {
    rank_with_order(table, seed, entries).0
}

/// Walks the ranking and issues while the next voucher fits; `monthly_value(pos, ranked)`
/// gives the monthly value at a position, `None` when unknown (which stops issuing).
fn issue_with(
    ranked: &mut [Ranked],
    available: i64,
    months: i64,
    monthly_value: impl Fn(usize, &Ranked) -> Option<i64>,
) -> i64 {
    for r in ranked.iter_mut() {
        r.issued = false;
    }
    if months < 1 {
        return 0;
    }
    let mut committed: i64 = 0;
    for (pos, r) in ranked.iter_mut().enumerate() {
        let cost = monthly_value(pos, r)
            .and_then(|value| value.checked_mul(months))
            .filter(|cost| *cost >= 0);
        let Some(cost) = cost else { break };
        if cost > available.saturating_sub(committed) {
            break;
        }
        let Some(total) = committed.checked_add(cost) else {
            break;
        };
        committed = total;
        r.issued = true;
    }
    committed
}

/// Issues vouchers down the ranking and returns the total committed, tenge.
///
/// Clears every `issued` flag, then marks children in rank order while `monthly_value * months`
/// fits in what remains of `available`, stopping at the first child whose voucher does not fit
/// (a cheaper child further down is never issued ahead of them). Each child's monthly value is
/// looked up in `entries` by hash (the first entry with that hash); a child missing from
/// `entries`, a negative or overflowing cost, or `months < 1` also stops issuing.
pub fn issue(ranked: &mut [Ranked], entries: &[Entry], available: i64, months: i64) -> i64 {
    let mut by_hash: HashMap<&str, i64> = HashMap::with_capacity(entries.len());
    for entry in entries {
        by_hash
            .entry(entry.child_hash.as_str())
            .or_insert(entry.monthly_value);
    }
    issue_with(ranked, available, months, |_, r| {
        by_hash.get(r.child_hash.as_str()).copied()
    })
}

/// The score of the last child issued a voucher, or `None` if none was issued.
pub fn cutoff_score(ranked: &[Ranked]) -> Option<i64> {
    ranked.iter().rev().find(|r| r.issued).map(|r| r.score)
}

/// The place of a child in the ranking, by hash (case-insensitive); `rank - 1` children are ahead.
pub fn position_of<'a>(ranked: &'a [Ranked], child_hash: &str) -> Option<&'a Ranked> {
    ranked
        .iter()
        .find(|r| r.child_hash.eq_ignore_ascii_case(child_hash))
}

fn compute_result(
    table: &PriorityTable,
    seed: &str,
    entries: &[Entry],
    available: i64,
    months: i64,
) -> Vec<Ranked> {
    let (mut ranked, order) = rank_with_order(table, seed, entries);
    issue_with(&mut ranked, available, months, |pos, _| {
        order
            .get(pos)
            .and_then(|&index| entries.get(index))
            .map(|entry| entry.monthly_value)
    });
    ranked
}

/// Runs the campaign: ranks the entries, issues vouchers, and builds the file to publish.
pub fn allocate(
    campaign_id: i64,
    table: PriorityTable,
    seed: &str,
    available: i64,
    months: i64,
    entries: Vec<Entry>,
) -> AllocationFile {
    let result = compute_result(&table, seed, &entries, available, months);
    AllocationFile {
        format: FORMAT.to_string(),
        campaign_id,
        table,
        seed: seed.to_string(),
        seed_commitment: seed_commitment(seed),
        available,
        months,
        entries,
        result,
    }
}

/// A short, readable form of a hash for messages.
fn short(hash: &str) -> String {
    let prefix: String = hash.chars().take(12).collect();
    if prefix.len() < hash.len() {
        format!("{prefix}…")
    } else {
        prefix
    }
}

fn describe(r: &Ranked, listed_rank: Option<u32>) -> String {
    let issued = if r.issued { "issued" } else { "not issued" };
    match listed_rank {
        Some(listed) => format!(
            "{} (listed as rank {listed}, score {}, {issued})",
            short(&r.child_hash),
            r.score
        ),
        None => format!("{} (score {}, {issued})", short(&r.child_hash), r.score),
    }
}

/// Adds the first [`MAX_LISTED`] items, then one sentence counting the rest; `what` names
/// one item and several items.
fn push_capped(
    problems: &mut Vec<String>,
    items: impl Iterator<Item = String>,
    what: (&str, &str),
) {
    let mut hidden = 0usize;
    for (i, item) in items.enumerate() {
        if i < MAX_LISTED {
            problems.push(item);
        } else {
            hidden += 1;
        }
    }
    match hidden {
        0 => {}
        1 => problems.push(format!("There is 1 more {} not listed here.", what.0)),
        n => problems.push(format!("There are {n} more {} not listed here.", what.1)),
    }
}

fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Checks a published allocation file: its format, the seed against its commitment, the
/// inputs, unique child hashes, and that the rules applied to the file's own inputs give
/// exactly its result.
pub fn verify(file: &AllocationFile) -> Verification {
    let mut problems = Vec::new();

    if file.format != FORMAT {
        problems.push(format!(
            "The file format is \"{}\", but this check reads \"{FORMAT}\".",
            file.format
        ));
    }

    let commitment = seed_commitment(&file.seed);
    if !commitment.eq_ignore_ascii_case(&file.seed_commitment) {
        problems.push(format!(
            "The seed does not match the commitment published when the campaign opened: \
             its SHA-256 is {}, the published commitment is {}.",
            short(&commitment),
            short(&file.seed_commitment)
        ));
    }

    if file.months < 1 {
        problems.push(format!(
            "Vouchers are paid for {} months; it must be at least 1.",
            file.months
        ));
    }
    if file.available < 0 {
        problems.push(format!(
            "The available budget is {} tenge; it cannot be negative.",
            file.available
        ));
    }

    let bad_entries = file.entries.iter().enumerate().filter_map(|(i, entry)| {
        if !is_sha256_hex(&entry.child_hash) {
            Some(format!(
                "Application {} has a child hash \"{}\" that is not a 64-character lowercase hex SHA-256.",
                i + 1,
                short(&entry.child_hash)
            ))
        } else if entry.monthly_value < 0 {
            Some(format!(
                "Application {} ({}) has a negative monthly voucher value ({} tenge).",
                i + 1,
                short(&entry.child_hash),
                entry.monthly_value
            ))
        } else {
            None
        }
    });
    push_capped(
        &mut problems,
        bad_entries,
        ("invalid application", "invalid applications"),
    );

    let mut counts: HashMap<&str, usize> = HashMap::with_capacity(file.entries.len());
    for entry in &file.entries {
        *counts.entry(entry.child_hash.as_str()).or_insert(0) += 1;
    }
    let mut repeated: Vec<(&str, usize)> = counts.into_iter().filter(|(_, n)| *n > 1).collect();
    repeated.sort_unstable();
    let duplicates = repeated.into_iter().map(|(hash, n)| {
        format!(
            "The child hash {} appears {n} times among the applications; each child may appear only once.",
            short(hash)
        )
    });
    push_capped(
        &mut problems,
        duplicates,
        ("duplicated child hash", "duplicated child hashes"),
    );

    let expected = compute_result(
        &file.table,
        &file.seed,
        &file.entries,
        file.available,
        file.months,
    );
    if file.result.len() != expected.len() {
        problems.push(format!(
            "The result lists {} children, but there are {} applications.",
            file.result.len(),
            expected.len()
        ));
    }
    let positions = file.result.len().max(expected.len());
    let differences = (0..positions).filter_map(|pos| {
        let at = pos.saturating_add(1);
        match (file.result.get(pos), expected.get(pos)) {
            (Some(said), Some(rule)) if said == rule => None,
            (Some(said), Some(rule)) => {
                let listed = (said.rank != rule.rank).then_some(said.rank);
                Some(format!(
                    "Rank {at}: the file says {}, the rules give {}.",
                    describe(said, listed),
                    describe(rule, None)
                ))
            }
            (Some(said), None) => Some(format!(
                "Rank {at}: the file says {}, the rules give no child at this rank.",
                describe(said, None)
            )),
            (None, Some(rule)) => Some(format!(
                "Rank {at}: the file lists no child, the rules give {}.",
                describe(rule, None)
            )),
            (None, None) => None,
        }
    });
    push_capped(
        &mut problems,
        differences,
        ("differing rank", "differing ranks"),
    );

    Verification { problems }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SALT: &str = "receipt-salt-2025";
    const SEED: &str = "campaign-7-seed";

    fn table() -> PriorityTable {
        PriorityTable {
            version: 1,
            weights: [
                ("orphan", 5),
                ("disability", 4),
                ("large_family", 2),
                ("asp", 3),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
            ties: vec![TieBreak::YoungerFirst, TieBreak::Lottery],
        }
    }

    fn entry(iin: &str, categories: &[&str], age_months: u32, monthly_value: i64) -> Entry {
        Entry {
            child_hash: child_hash(SALT, iin),
            categories: categories.iter().map(|c| c.to_string()).collect(),
            age_months,
            direction: "chess".to_string(),
            monthly_value,
        }
    }

    /// A..G, in input order. Scores: A 9, B 5 (orphan twice), C 5, D 5, E 4 (unknown code),
    /// F 2, G 2.
    fn sample() -> Vec<Entry> {
        vec![
            entry("150101500001", &["orphan", "disability"], 120, 20_000), // A
            entry("160101500002", &["orphan", "orphan"], 90, 15_000),      // B
            entry("170101500003", &["orphan"], 70, 15_000),                // C
            entry("170101500004", &["asp", "large_family"], 70, 15_000),   // D
            entry("180101500005", &["disability", "refugee"], 60, 15_000), // E
            entry("190101500006", &["large_family"], 50, 40_000),          // F
            entry("140101500007", &["large_family"], 100, 10_000),         // G
        ]
    }

    const MONTHS: i64 = 9;
    // A + B + C + D + E = 80,000 a month; 100,000 left over is enough for G (90,000) but not F.
    const AVAILABLE: i64 = 80_000 * MONTHS + 100_000;

    fn sample_file() -> AllocationFile {
        allocate(7, table(), SEED, AVAILABLE, MONTHS, sample())
    }

    fn letters(ranked: &[Ranked], entries: &[Entry]) -> String {
        ranked
            .iter()
            .map(|r| {
                let i = entries
                    .iter()
                    .position(|e| e.child_hash == r.child_hash)
                    .unwrap();
                char::from(b'A' + u8::try_from(i).unwrap())
            })
            .collect()
    }

    #[test]
    fn hashes_are_plain_sha256() {
        // FIPS 180-2 test vector.
        assert_eq!(
            seed_commitment("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(child_hash("a", "bc"), sha256_hex(b"a:bc"));
        assert_eq!(lottery_key("s", "h"), sha256_hex(b"s:h"));
    }

    #[test]
    fn score_counts_each_category_once_and_unknown_as_zero() {
        let t = table();
        let cats = |c: &[&str]| c.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(score(&t, &cats(&["orphan", "disability"])), 9);
        assert_eq!(score(&t, &cats(&["orphan", "orphan"])), 5);
        assert_eq!(score(&t, &cats(&["disability", "refugee"])), 4);
        assert_eq!(score(&t, &cats(&["refugee"])), 0);
        assert_eq!(score(&t, &[]), 0);
    }

    #[test]
    fn small_case_by_hand() {
        let entries = sample();
        let ranked = rank(&table(), SEED, &entries);
        let scores: Vec<i64> = ranked.iter().map(|r| r.score).collect();
        assert_eq!(scores, [9, 5, 5, 5, 4, 2, 2]);
        assert_eq!(
            ranked.iter().map(|r| r.rank).collect::<Vec<_>>(),
            [1, 2, 3, 4, 5, 6, 7]
        );
        assert!(ranked.iter().all(|r| !r.issued));

        // C and D: equal score, equal age, so the lottery decides.
        let key_c = lottery_key(SEED, &entries[2].child_hash);
        let key_d = lottery_key(SEED, &entries[3].child_hash);
        let lottery_pair = if key_c < key_d { "CD" } else { "DC" };
        // B (score 5, 90 months) comes after the younger C and D; F (50 months) before G (100).
        assert_eq!(letters(&ranked, &entries), format!("A{lottery_pair}BEFG"));
        // Worked out once outside this code (`printf '%s' … | sha256sum`) and written down:
        // D's key 65b2… is below C's e24e…, so D goes first.
        assert_eq!(&entries[2].child_hash[..12], "914e1aacaa80");
        assert_eq!(&entries[3].child_hash[..12], "d084e0078192");
        assert_eq!(&key_c[..12], "e24e78fb80ab");
        assert_eq!(&key_d[..12], "65b2cf2817a9");
        assert_eq!(letters(&ranked, &entries), "ADCBEFG");
    }

    #[test]
    fn issuing_stops_at_the_first_voucher_that_does_not_fit() {
        let entries = sample();
        let mut ranked = rank(&table(), SEED, &entries);
        let committed = issue(&mut ranked, &entries, AVAILABLE, MONTHS);
        assert_eq!(committed, 80_000 * MONTHS);
        let issued: Vec<bool> = ranked.iter().map(|r| r.issued).collect();
        // F (6th) costs 360,000 and does not fit; G (7th) costs 90,000 and would, but must wait.
        assert_eq!(issued, [true, true, true, true, true, false, false]);
        assert_eq!(cutoff_score(&ranked), Some(4));

        // The same through `allocate`.
        let file = sample_file();
        assert_eq!(file.result, ranked);

        // With one tenge less, E no longer fits either.
        let mut ranked = rank(&table(), SEED, &entries);
        let committed = issue(&mut ranked, &entries, 80_000 * MONTHS - 1, MONTHS);
        assert_eq!(committed, 65_000 * MONTHS);
        assert_eq!(ranked.iter().filter(|r| r.issued).count(), 4);
        assert_eq!(cutoff_score(&ranked), Some(5));
    }

    #[test]
    fn issuing_degenerate_budgets() {
        let entries = sample();
        let mut ranked = rank(&table(), SEED, &entries);
        assert_eq!(issue(&mut ranked, &entries, 0, MONTHS), 0);
        assert_eq!(cutoff_score(&ranked), None);
        assert_eq!(issue(&mut ranked, &entries, -5, MONTHS), 0);
        assert_eq!(issue(&mut ranked, &entries, AVAILABLE, 0), 0);
        assert!(ranked.iter().all(|r| !r.issued));
        // Overflowing cost stops issuing instead of wrapping.
        assert_eq!(issue(&mut ranked, &entries, i64::MAX, i64::MAX), 0);
        // Reissuing clears old flags.
        issue(&mut ranked, &entries, i64::MAX, MONTHS);
        assert!(ranked.iter().all(|r| r.issued));
        issue(&mut ranked, &entries, 0, MONTHS);
        assert!(ranked.iter().all(|r| !r.issued));
    }

    #[test]
    fn older_first_and_no_tie_rules() {
        let entries = sample();
        let mut t = table();
        t.ties = vec![TieBreak::OlderFirst];
        let ranked = rank(&t, SEED, &entries);
        // Score 5: B (90) before C and D (70, lottery); score 2: G (100) before F (50).
        let order = letters(&ranked, &entries);
        assert_eq!(&order[..2], "AB");
        assert_eq!(&order[4..], "EGF");

        t.ties = vec![];
        let ranked = rank(&t, SEED, &entries);
        let five: Vec<&Ranked> = ranked.iter().filter(|r| r.score == 5).collect();
        let keys: Vec<String> = five
            .iter()
            .map(|r| lottery_key(SEED, &r.child_hash))
            .collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn shuffled_input_gives_the_same_result() {
        let entries = sample();
        let reference = sample_file().result;
        let mut reversed = entries.clone();
        reversed.reverse();
        let mut rotated = entries.clone();
        rotated.rotate_left(3);
        let interleaved: Vec<Entry> = entries
            .iter()
            .step_by(2)
            .chain(entries.iter().skip(1).step_by(2))
            .cloned()
            .collect();
        for shuffled in [reversed, rotated, interleaved] {
            assert_ne!(shuffled, entries);
            let file = allocate(7, table(), SEED, AVAILABLE, MONTHS, shuffled);
            assert_eq!(file.result, reference);
        }
    }

    #[test]
    fn a_different_seed_changes_only_lottery_ties() {
        let entries = sample();
        let ranked = rank(&table(), "another-seed", &entries);
        let scores: Vec<i64> = ranked.iter().map(|r| r.score).collect();
        assert_eq!(scores, [9, 5, 5, 5, 4, 2, 2]);
        let order = letters(&ranked, &entries);
        assert_eq!(&order[..1], "A");
        assert_eq!(&order[3..], "BEFG");
    }

    #[test]
    fn position_of_finds_a_child() {
        let file = sample_file();
        let b = &file.entries[1].child_hash;
        let found = position_of(&file.result, &b.to_uppercase()).unwrap();
        assert_eq!(found.rank, 4);
        assert_eq!(found.score, 5);
        assert!(position_of(&file.result, "nope").is_none());
    }

    #[test]
    fn no_application_time_in_the_inputs() {
        let value = serde_json::to_value(&sample()[0]).unwrap();
        let keys: Vec<&String> = value.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "age_months",
                "categories",
                "child_hash",
                "direction",
                "monthly_value"
            ]
        );
    }

    #[test]
    fn verify_accepts_an_untampered_file() {
        let file = sample_file();
        assert_eq!(file.format, FORMAT);
        assert_eq!(file.seed_commitment, seed_commitment(SEED));
        let check = verify(&file);
        assert!(check.matches(), "{:?}", check.problems);

        let json = serde_json::to_string_pretty(&file).unwrap();
        assert!(json.contains("\"younger_first\""));
        let back: AllocationFile = serde_json::from_str(&json).unwrap();
        assert_eq!(back, file);
        assert!(verify(&back).matches());
    }

    #[test]
    fn verify_rejects_a_wrong_format() {
        let mut file = sample_file();
        file.format = "adal.voucher-allocation/2".to_string();
        assert_eq!(verify(&file).problems.len(), 1);
    }

    #[test]
    fn verify_rejects_a_changed_seed() {
        let mut file = sample_file();
        file.seed = "a-seed-picked-afterwards".to_string();
        let problems = verify(&file).problems;
        assert!(!problems.is_empty());
        assert!(
            problems[0].contains("does not match the commitment"),
            "{problems:?}"
        );

        // Even re-running with the new seed cannot hide it: the commitment was published.
        let mut rerun = allocate(
            7,
            table(),
            "a-seed-picked-afterwards",
            AVAILABLE,
            MONTHS,
            sample(),
        );
        rerun.seed_commitment = file.seed_commitment.clone();
        let problems = verify(&rerun).problems;
        assert_eq!(problems.len(), 1, "{problems:?}");
    }

    #[test]
    fn verify_rejects_swapped_ranks() {
        let mut file = sample_file();
        // Swap the children at ranks 4 and 5, keeping the rank numbers in place.
        let (b, e) = (file.result[3].clone(), file.result[4].clone());
        file.result[3] = Ranked { rank: 4, ..e };
        file.result[4] = Ranked { rank: 5, ..b };
        let problems = verify(&file).problems;
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems[0].starts_with("Rank 4: the file says "),
            "{problems:?}"
        );
        assert!(problems[0].contains("(score 4, issued), the rules give "));
        assert!(problems[0].ends_with("(score 5, issued)."));
        assert!(problems[1].starts_with("Rank 5: "));
    }

    #[test]
    fn verify_rejects_changed_categories() {
        let mut file = sample_file();
        // G gets a category added after the run: it would now outrank F, E and B.
        file.entries[6].categories.push("orphan".to_string());
        assert!(!verify(&file).matches());

        // Removing a category from an issued child is caught as well.
        let mut file = sample_file();
        file.entries[0].categories.pop();
        assert!(!verify(&file).matches());
    }

    #[test]
    fn verify_rejects_a_flipped_issued_flag() {
        let mut file = sample_file();
        file.result[6].issued = true; // G, cheaper, jumping over F
        let problems = verify(&file).problems;
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].starts_with("Rank 7: "));
        assert!(problems[0].contains("issued), the rules give"));
        assert!(problems[0].ends_with("not issued)."));

        let mut file = sample_file();
        file.result[0].issued = false;
        assert!(!verify(&file).matches());
    }

    #[test]
    fn verify_rejects_a_duplicated_child_hash() {
        let mut entries = sample();
        let mut copy = entries[5].clone();
        copy.direction = "dance".to_string();
        entries.push(copy);
        // The result itself is computed by the rules, so only the duplicate is wrong.
        let file = allocate(7, table(), SEED, AVAILABLE, MONTHS, entries);
        let problems = verify(&file).problems;
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(problems[0].contains("appears 2 times"));
    }

    #[test]
    fn verify_rejects_a_missing_or_extra_result() {
        let mut file = sample_file();
        let last = file.result.pop().unwrap();
        assert!(!verify(&file).matches());
        file.result.push(last.clone());
        file.result.push(Ranked { rank: 8, ..last });
        assert!(!verify(&file).matches());
    }

    #[test]
    fn verify_lists_at_most_ten_differences() {
        let entries: Vec<Entry> = (0..30)
            .map(|i| entry(&format!("2001015{i:05}"), &["asp"], 60 + i, 1_000))
            .collect();
        let mut file = allocate(7, table(), SEED, 0, MONTHS, entries);
        file.result.reverse();
        let problems = verify(&file).problems;
        // 30 positions differ (rank numbers included): 10 listed, 20 counted.
        assert_eq!(problems.len(), 11, "{problems:?}");
        assert_eq!(
            problems[10],
            "There are 20 more differing ranks not listed here."
        );
    }
}
