//! Duties and deadlines for generated networks: the engine (CEL compiled once per distinct
//! condition, results memoised per the attributes a condition reads) against the same
//! engine without memoisation and against a named peer baseline, a naive rules engine that
//! parses and interprets every condition from source for every network.
//!
//! `cargo bench -p dengbao-duties --bench evaluate`
//! Figures: docs/benchmarks.md, section "Duty engine".

use std::collections::BTreeMap;
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use dengbao_calendar::Calendar;
use dengbao_duties::{
    evaluate_from_source, parse_at, Catalog, Classified, Engine, NewTech, Profile, RawNetwork,
    RawProfile, Service, Stage, TimeText,
};

/// A small deterministic generator (xorshift), so every run sees the same networks.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn date(&mut self, from_year: i16) -> TimeText {
        let y = from_year + self.below(2) as i16;
        let m = 1 + self.below(12);
        let d = 1 + self.below(28);
        TimeText::Text(format!("{y}-{m:02}-{d:02}"))
    }
}

const SERVICES: [Service; 7] = [
    Service::NetworkAccess,
    Service::DomainRegistration,
    Service::Telephony,
    Service::InfoPublishing,
    Service::InstantMessaging,
    Service::AppDistribution,
    Service::ElectronicMessages,
];
const TECH: [NewTech; 6] = [
    NewTech::Cloud,
    NewTech::Mobile,
    NewTech::Iot,
    NewTech::Ics,
    NewTech::BigData,
    NewTech::Ai,
];

fn network(rng: &mut Rng, i: usize) -> Profile {
    let stage = [
        Stage::Planning,
        Stage::Building,
        Stage::Running,
        Stage::Running,
        Stage::Running,
        Stage::Retired,
    ][rng.below(6) as usize];
    let classified = if rng.chance(5) {
        [
            Classified::Secret,
            Classified::Confidential,
            Classified::TopSecret,
        ][rng.below(3) as usize]
    } else {
        Classified::None
    };
    let mut events = BTreeMap::new();
    for (name, p) in [
        ("graded", 80),
        ("reviewed", 60),
        ("filed", 60),
        ("launched", 70),
        ("last_assessment", 40),
        ("last_self_inspection", 50),
        ("last_crypto_assessment", 20),
        ("incident_detected", 5),
        ("retired", 3),
    ] {
        if rng.chance(p) {
            events.insert(name.to_string(), rng.date(2025));
        }
    }
    let raw = RawProfile {
        network: RawNetwork {
            name: format!("network {i}"),
            organisation: None,
            level: Some(1 + rng.below(5) as i64),
            previous_level: None,
            stage,
            cii: rng.chance(10),
            classified,
            personal_info: rng.chance(50),
            important_data: rng.chance(10),
            personal_info_people: None,
            services: SERVICES
                .iter()
                .copied()
                .filter(|_| rng.chance(15))
                .collect(),
            new_tech: TECH.iter().copied().filter(|_| rng.chance(20)).collect(),
            overseas_maintenance: rng.chance(5),
            cross_border_data: rng.chance(5),
            competent_department: rng.chance(30),
            cross_province: rng.chance(5),
            government: rng.chance(10),
            licensed_business: rng.chance(10),
            industry: None,
            roles: Vec::new(),
            operator_class: None,
        },
        grading: None,
        events,
        evidence: Vec::new(),
        breach: Vec::new(),
    };
    Profile::try_from(raw).unwrap_or_else(|e| panic!("generated profile {i}: {e}"))
}

fn networks(n: usize) -> Vec<Profile> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    (0..n).map(|i| network(&mut rng, i)).collect()
}

fn bench(c: &mut Criterion) {
    let catalog = Catalog::builtin().unwrap();
    let calendar = Calendar::builtin().unwrap();
    let at = parse_at("2026-06-01").unwrap();
    let all = networks(100_000);

    let mut g = c.benchmark_group("duties");
    g.sample_size(10);
    for (name, n, memo, explain) in [
        ("engine", 100_000, true, false),
        ("engine_with_reasons", 100_000, true, true),
        ("engine_no_memo", 10_000, false, false),
    ] {
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new(name, n), &all[..n], |b, nets| {
            b.iter(|| {
                let mut engine = Engine::new(&catalog, &calendar);
                engine.memoise = memo;
                engine.explain = explain;
                let mut open = 0usize;
                for p in nets {
                    open += engine.evaluate(p, at).len();
                }
                black_box(open)
            })
        });
    }
    let n = 200;
    g.throughput(Throughput::Elements(n as u64));
    g.bench_with_input(
        BenchmarkId::new("naive_parse_per_network", n),
        &all[..n],
        |b, nets| {
            b.iter(|| {
                let mut open = 0usize;
                for p in nets {
                    open += evaluate_from_source(p, &catalog, &calendar, at).len();
                }
                black_box(open)
            })
        },
    );
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
