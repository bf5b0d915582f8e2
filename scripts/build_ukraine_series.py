"""Build the dated Russia-Ukraine scenarios of the series from the two flagships.

Run from the repository root: ``python scripts/build_ukraine_series.py``. It writes
``src/accord/scenarios/ukraine-YYYY-MM.yaml`` for each date in ``DATES``; the written files
are the bundled scenarios (edit this script, not them, and re-run).

Each date starts from the flagship nearest in kind (``ukraine-2023-03`` for 2022-2023,
``ukraine-2024-08`` for 2024-2025) and then:

1. sets the facts of the date: as-of date, the territorial status quo T from the front line
   (km² held by Russia, via T = 100·(1 − H/135,787), design note war-termination.md §1.0), the
   Kursk parcel where Ukraine holds one, and the stances that dated statements moved, each with
   a source dated on or before the as-of date, or a judgement mark;
2. drops every source dated after the as-of date; a number that leaned only on dropped sources
   keeps its value as a judgement and says so in its note (no later evidence enters);
3. leaves the series calibration (``scenarios/series/russia-ukraine.yaml``) untouched: those
   parameters are not facts of a date and are equal in every scenario of the series.
"""

from __future__ import annotations

import copy
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "src" / "accord" / "scenarios"
CLAIM = 135_787.0  # km², the four claimed oblasts plus Crimea (war-termination.md §1.0)
UKRAINE = 603_628.0  # km², Ukraine's area (design note ukraine-scenarios.md: 603,500-603,700)

UKRAINE_AREA = {
    "citation": "Ukraine's area ≈603,628 km² (design note ukraine-scenarios.md: 603,500-603,700 km²), "
    "used to turn the percentage of Ukraine held into km² (not re-checked)",
}


def flow(d: dict[str, Any]) -> CommentedMap:
    m = CommentedMap(d)
    m.fa.set_flow_style()
    return m


def seq(*items: str) -> CommentedSeq:
    s = CommentedSeq(items)
    s.fa.set_flow_style()
    return s


def sourced(
    value: float, source: tuple[str, ...] = (), judgement: bool = False, note: str = ""
) -> CommentedMap:
    m = CommentedMap()
    m["value"] = value
    if source:
        m["source"] = seq(*source)
    if judgement:
        m["judgement"] = True
    if note:
        m["note"] = note
    return m


def t_of(h: float) -> float:
    return round(100 * (1 - h / CLAIM), 1)


# --- the dates -------------------------------------------------------------------------------
# Every source below was found with the search tool's pages corpus; date = publication date.

DATES: list[dict[str, Any]] = [
    {
        "id": "ukraine-2022-04",
        "base": "ukraine-2023-03",
        "as_of": dt.date(2022, 4, 10),
        "title": "Russia-Ukraine, April 2022: the Istanbul talks",
        "description": "Russia-Ukraine war in early April 2022, after the Istanbul round of 29 March (Ukraine "
        "offers permanent neutrality for Article-5-like guarantees and 15 years of talks on Crimea) and "
        "Russia's withdrawal from the Kyiv and Chernihiv regions. Russia has not yet annexed the four "
        "oblasts; Ukraine has not yet applied to NATO. Stances not moved by a dated statement are carried "
        "from ukraine-2023-03 as this file's judgement.",
        "sources": {
            "istanbul2022": {
                "citation": "Istanbul round, 29 March 2022: Ukraine proposes permanent neutrality (no alliances, "
                "no foreign bases) for guarantees 'similar to NATO's Article 5 - and even more firmly', and a "
                "15-year consultation period on Crimea (Reuters via The Straits Times)",
                "url": "https://www.straitstimes.com/world/russia-may-slash-military-activity-after-constructive-negotiations",
                "date": dt.date(2022, 3, 30),
            },
            "kyiv2022": {
                "citation": "Ukraine declares the entire Kyiv region retaken; Russia withdraws from the Kyiv, "
                "Chernihiv and Sumy regions to refocus on the east and south (Anadolu)",
                "url": "https://www.worldbulletin.net/world/war-map-changes-as-russian-forces-withdraw-from-some-ukrainian-cities-h212669.html",
                "date": dt.date(2022, 4, 4),
            },
        },
        "held": sourced(
            120_000,
            ("kyiv2022",),
            judgement=True,
            note="≈120,000 km² held after the withdrawal from the north (Crimea, most of Luhansk, half of "
            "Donetsk, most of Kherson and Zaporizhzhia, eastern Kharkiv); no dated km² count was found, so "
            "the figure is this file's judgement",
        ),
        "front_label": "front line, early April 2022 (≈120,000 km² held, judgement)",
        "p": (
            0.45,
            "Ukraine's expected share of the territorial pie from fighting on; the Kyiv offensive has "
            "failed and Russia regroups in the east (this file's judgement)",
        ),
        "beliefs": ((6, 4), (5, 5)),
        "theta": 0.5,
        "stances": {
            ("UKR", "N"): (
                10,
                60,
                ("istanbul2022",),
                "permanent neutrality offered for guarantees",
            ),
            ("UKR", "G"): (
                100,
                100,
                ("istanbul2022",),
                "guarantees like Article 5 'and even more firmly'",
            ),
            ("UKR", "T"): (
                90,
                95,
                ("istanbul2022",),
                "Crimea parked for 15 years of talks; the rest returned",
            ),
            ("RUS", "T"): (
                30,
                95,
                ("smo2022",),
                "recognition of Crimea and the two 'republics' within the "
                "oblast borders (T ≈ 41) and the held south",
            ),
        },
        "war_levels": {"N": (30, (), "NATO aspiration in the constitution, no application yet")},
    },
    {
        "id": "ukraine-2022-11",
        "base": "ukraine-2023-03",
        "as_of": dt.date(2022, 11, 20),
        "title": "Russia-Ukraine, November 2022: after Kherson",
        "description": "Russia-Ukraine war in late November 2022, after Ukraine's Kharkiv counteroffensive "
        "(September) and Russia's withdrawal from Kherson city and the right bank of the Dnipro (9-11 "
        "November); Russia has annexed the four oblasts (30 September) and Ukraine has applied to NATO. "
        "Stances not moved by a dated statement are carried from ukraine-2023-03 as this file's judgement.",
        "sources": {
            "kherson2022": {
                "citation": "Russia announces the withdrawal from the right bank of the Dnipro including "
                "Kherson city, 9 November 2022 (Kyiv Independent)",
                "url": "https://kyivindependent.com/news-feed/ukraine-liberates-two-villages-in-kherson-oblast",
                "date": dt.date(2022, 11, 9),
            },
            "isw_nov2022": {
                "citation": "ISW: Ukraine has liberated ≈75,000 km², 63% of the territory invaded since 24 "
                "February (as of 12 November 2022) (Statista)",
                "url": "https://www.statista.com/chart/28748/ukraine-territory-control-status-distribution",
                "date": dt.date(2022, 11, 12),
            },
        },
        "held": sourced(
            104_000,
            ("isw_nov2022", "kherson2022"),
            judgement=True,
            note="≈104,000 km² after Kherson: the ≈75,000 km² liberated are counted on ISW's invaded-area "
            "basis, which differs from the series' held-area basis (ISW/AFP, as in ukraine-2024-08); the "
            "level on the series' basis is this file's judgement",
        ),
        "front_label": "front line after Kherson, November 2022 (≈104,000 km² held, judgement)",
        "p": (
            0.40,
            "Ukraine's expected share from fighting on after two successful counteroffensives "
            "(this file's judgement)",
        ),
        "beliefs": ((7, 3), (5, 5)),
        "theta": 0.5,
        "stances": {},
        "war_levels": {},
    },
    {
        "id": "ukraine-2023-11",
        "base": "ukraine-2023-03",
        "as_of": dt.date(2023, 11, 20),
        "title": "Russia-Ukraine, November 2023: after the counteroffensive",
        "description": "Russia-Ukraine war in late November 2023, after Ukraine's summer counteroffensive "
        "took a few villages in Zaporizhzhia and Donetsk but did not break the Russian lines; the front has "
        "barely moved in 2023. Stances not moved by a dated statement are carried from ukraine-2023-03 as "
        "this file's judgement.",
        "sources": {
            "guardian2023": {
                "citation": "Guardian analysis of ISW data: Russia controls ≈103,000 km² (17%) of Ukraine after "
                "losing a fifth of its 132,000 km² peak (February 2023)",
                "url": "https://www.breakinglatest.news/health/war-ukraine-russia-putins-speech-live-meloni-arrived-in-bucha-direct/",
                "date": dt.date(2023, 2, 21),
            },
            "nyt2023": {
                "citation": "New York Times: in 2023 Russia gained 331 and Ukraine 143 square miles; Russia's "
                "net gain ≈183 sq mi (≈474 km²) (November 2023)",
                "url": "https://www.worldreportnow.com/news/ukraine-situation-report-russia-has-gained-the-most-ground-this-year/18978/",
                "date": dt.date(2023, 11, 11),
            },
            "D41": {
                "citation": "Levada Center (October 2023): 70% of Russians would back Putin ending the war "
                "keeping the occupied territories, 34% if they were returned; 55% for talks, 38% for continuing",
                "url": "https://ukrainetoday.org/2023/11/01/70-of-russians-would-support-putins-decision-to-end-war-in-ukraine/",
                "date": dt.date(2023, 11, 1),
            },
        },
        "held": sourced(
            103_500,
            ("guardian2023", "nyt2023"),
            note="≈103,000 km² in February 2023 plus Russia's ≈474 km² net gain in 2023",
        ),
        "front_label": "front line, November 2023 (≈103,500 km² held)",
        "p": (
            0.25,
            "Ukraine's expected share from fighting on after the counteroffensive stalled "
            "(this file's judgement)",
        ),
        "beliefs": ((5, 5), (3, 7)),
        "theta": 0.4,
        "stances": {},
        "war_levels": {},
        "mu": (
            0.7,
            ("design", "D41"),
            "Ukraine's belief that Russia is resolute; Levada 70% back ending the "
            "war keeping territories vs 34% if they are returned",
        ),
    },
    {
        "id": "ukraine-2024-11",
        "base": "ukraine-2024-08",
        "as_of": dt.date(2024, 11, 24),
        "title": "Russia-Ukraine, November 2024: the US election and the nuclear doctrine",
        "description": "Russia-Ukraine war on 24 November 2024: Donald Trump has won the US election (5 "
        "November) promising a quick end to the war; Russia advances at its fastest pace since 2022 around "
        "Pokrovsk and Kurakhove; Ukraine still holds part of Kursk oblast; Russia publishes a nuclear "
        "doctrine that lowers its threshold (19 November) after the US lets Ukraine strike Russia with "
        "ATACMS. Stances not moved by a dated statement are carried from ukraine-2024-08 as this file's "
        "judgement.",
        "sources": {
            "afp_oct2024": {
                "citation": "AFP analysis of ISW data: Russia took 478 km² in October 2024, more than 2,660 km² "
                "since 1 January; with Crimea and the pre-2022 Donbas it holds ≈18.2% of Ukraine (27 October 2024)",
                "url": "https://ssbcrack.com/2024/10/russia-expanded-478-sq-km-into-ukraine-in-october-a-record-since-2022-analysis.html",
                "date": dt.date(2024, 10, 28),
            },
            "kursk_nov2024": {
                "citation": "Ukrainian General Staff source (Reuters): Ukraine, at most ≈1,376 km² of Kursk "
                "oblast, now controls ≈800 km², having lost over 40% (23 November 2024, RBC-Ukraine)",
                "url": "https://newsukraine.rbc.ua/news/ukraine-loses-40-of-territory-it-controlled-1732396167.html",
                "date": dt.date(2024, 11, 23),
            },
            "doctrine2024": {
                "citation": "Putin signs the updated nuclear deterrence doctrine: nuclear use possible against "
                "aggression by a non-nuclear state supported by a nuclear one (19 November 2024)",
                "url": "https://sputnikglobe.com/20241119/putin-signs-updated-russian-nuclear-doctrine-1120925323.html",
                "date": dt.date(2024, 11, 19),
            },
            "ukraine_area": UKRAINE_AREA,
        },
        "held": sourced(
            109_860,
            ("afp_oct2024", "ukraine_area"),
            note="18.2% of 603,628 km² on 27 October 2024 (AFP/ISW, the basis of D2)",
        ),
        "front_label": "front line, late October 2024 (≈109,860 km² held)",
        "p": (
            0.17,
            "Ukraine's expected share from fighting on; Russia's fastest advance since 2022, US "
            "support after January uncertain (this file's judgement)",
        ),
        "beliefs": ((4, 6), (3, 7)),
        "theta": 0.35,
        "kursk": sourced(
            800,
            ("kursk_nov2024",),
            note="km² of Kursk oblast held by Ukraine in late November 2024 (Ukrainian General Staff)",
        ),
        "stances": {
            ("RUS", "K"): (
                0,
                95,
                ("doctrine2024",),
                "Kursk to be retaken; the new doctrine covers attacks on "
                "Russian territory supported by a nuclear power",
            ),
        },
        "war_levels": {},
    },
    {
        "id": "ukraine-2025-03",
        "base": "ukraine-2024-08",
        "as_of": dt.date(2025, 3, 12),
        "title": "Russia-Ukraine, March 2025: the US aid pause and Jeddah",
        "description": "Russia-Ukraine war on 12 March 2025: after the White House clash of 28 February the "
        "US paused military aid and intelligence sharing; at Jeddah (11 March) Ukraine accepted a US "
        "proposal for an immediate 30-day ceasefire and the US resumed aid; the US defence secretary calls "
        "pre-2014 borders and NATO membership unrealistic; Russia is retaking most of the Kursk salient. "
        "Stances not moved by a dated statement are carried from ukraine-2024-08 as this file's judgement.",
        "sources": {
            "afp_oct2024": {
                "citation": "AFP analysis of ISW data: Russia holds ≈18.2% of Ukraine incl. Crimea (27 October 2024)",
                "url": "https://ssbcrack.com/2024/10/russia-expanded-478-sq-km-into-ukraine-in-october-a-record-since-2022-analysis.html",
                "date": dt.date(2024, 10, 28),
            },
            "afp2024": {
                "citation": "AFP analysis of ISW data: Russia advanced 3,985 km² in 2024, 610 km² in October, "
                "725 km² in November, 465 km² in December; the Kursk salient down from ≈1,320 to 482 km² by 30 "
                "December",
                "url": "https://www.urdupoint.com/en/world/russia-advanced-nearly-4000-km2-in-ukraine-i-1901730.html",
                "date": dt.date(2024, 12, 31),
            },
            "kursk_feb2025": {
                "citation": "Russia says it has regained more than 800 km² of the Kursk region, ≈64% of the "
                "land Ukraine took (Reuters, 20 February 2025)",
                "url": "https://www.gamereactor.eu/russia-claims-major-gains-in-kursk-region-amid-ongoing-offensive-1501253/",
                "date": dt.date(2025, 2, 20),
            },
            "hegseth2025": {
                "citation": "US Defense Secretary Hegseth: returning to Ukraine's pre-2014 borders is 'an "
                "unrealistic objective'; NATO membership not 'a realistic outcome'; no US troops in any "
                "guarantee (12 February 2025)",
                "url": "https://www.jpost.com/breaking-news/article-841870",
                "date": dt.date(2025, 2, 12),
            },
            "jeddah2025": {
                "citation": "US-Ukraine joint statement, Jeddah, 11 March 2025: Ukraine ready to accept an "
                "immediate interim 30-day ceasefire subject to Russian reciprocity; the US lifts the pause on "
                "intelligence sharing and resumes security assistance (Reuters)",
                "url": "https://www.1lurer.am/en/2025/03/11/Ukraine-agrees-to-30-day-ceasefire-during-talks-with-US-in-Saudi-Arabia-statement/1277796",
                "date": dt.date(2025, 3, 11),
            },
            "ukraine_area": UKRAINE_AREA,
        },
        "held": sourced(
            111_550,
            ("afp_oct2024", "afp2024", "ukraine_area"),
            judgement=True,
            note="18.2% of 603,628 km² on 27 October 2024 (109,860) plus November-December gains (725 + 465) "
            "plus ≈500 km² in January to mid-March 2025 (this file's judgement; monthly gains were slowing)",
        ),
        "front_label": "front line, mid-March 2025 (≈111,550 km² held)",
        "p": (
            0.17,
            "Ukraine's expected share from fighting on; US aid paused then resumed, Russian gains "
            "slowing (this file's judgement)",
        ),
        "beliefs": ((4, 6), (3, 7)),
        "theta": 0.35,
        "kursk": sourced(
            300,
            ("kursk_feb2025", "afp2024"),
            judgement=True,
            note="km² of Kursk oblast still held by Ukraine: ≈450 on 20 February (36% of ≈1,300), shrinking "
            "fast in March (this file's judgement)",
        ),
        "stances": {
            ("UKR", "C"): (
                80,
                75,
                ("jeddah2025",),
                "ready for an immediate 30-day ceasefire on the line",
            ),
            ("USA", "T"): (40, 60, ("hegseth2025",), "pre-2014 borders 'unrealistic'"),
            ("USA", "N"): (10, 70, ("hegseth2025",), "NATO membership not 'a realistic outcome'"),
            ("USA", "G"): (50, 50, ("hegseth2025",), "guarantees by European troops, no US troops"),
            ("USA", "C"): (
                95,
                85,
                ("jeddah2025",),
                "the US proposes the immediate 30-day ceasefire",
            ),
        },
        "capability": {
            (
                "USA",
                75,
                ("jeddah2025", "hegseth2025"),
                "aid paused on 3 March and resumed at "
                "Jeddah; Europe asked to carry most future aid",
            )
        },
        "war_levels": {},
    },
    {
        "id": "ukraine-2025-08",
        "base": "ukraine-2024-08",
        "as_of": dt.date(2025, 8, 15),
        "title": "Russia-Ukraine, August 2025: before Anchorage",
        "description": "Russia-Ukraine war on 15 August 2025, the day of the Trump-Putin summit in "
        "Anchorage: Russia advances at its fastest pace in a year near Pokrovsk and Dobropillia and asks "
        "for all of Donetsk and Luhansk; Trump speaks of 'land swapping'; Zelensky says Ukraine 'will not "
        "give land to the occupier'; the Kursk salient is gone. Stances not moved by a dated statement are "
        "carried from ukraine-2024-08 as this file's judgement.",
        "sources": {
            "isw_aug2025": {
                "citation": "ISW: Russian forces control 18.98% of Ukraine (week of the Alaska summit, August "
                "2025), against 26.8% at the peak of 23 March 2022 (Washington Examiner)",
                "url": "https://www.washingtonexaminer.com/policy/defense/3500248/trump-putin-summit-reality-things-stand-ukraine-battlefield",
                "date": dt.date(2025, 8, 15),
            },
            "alaska2025": {
                "citation": "Ahead of the Alaska summit Zelensky says Ukraine 'will not give land to the "
                "occupier' and warns that ceding Donbas would open a 'third war' (15 August 2025)",
                "url": "https://www.newsx.com/world/how-much-ukrainian-territory-does-russia-control-ahead-of-trump-putin-alaska-talks-know-here-46141/",
                "date": dt.date(2025, 8, 15),
            },
            "hegseth2025": {
                "citation": "US Defense Secretary Hegseth: returning to Ukraine's pre-2014 borders is 'an "
                "unrealistic objective'; NATO membership not 'a realistic outcome' (12 February 2025)",
                "url": "https://www.jpost.com/breaking-news/article-841870",
                "date": dt.date(2025, 2, 12),
            },
            "jeddah2025": {
                "citation": "US-Ukraine joint statement, Jeddah, 11 March 2025: Ukraine ready to accept an "
                "immediate interim 30-day ceasefire subject to Russian reciprocity (Reuters)",
                "url": "https://www.1lurer.am/en/2025/03/11/Ukraine-agrees-to-30-day-ceasefire-during-talks-with-US-in-Saudi-Arabia-statement/1277796",
                "date": dt.date(2025, 3, 11),
            },
            "ukraine_area": UKRAINE_AREA,
        },
        "held": sourced(
            114_570,
            ("isw_aug2025", "ukraine_area"),
            note="18.98% of 603,628 km² (ISW, mid-August 2025)",
        ),
        "front_label": "front line, mid-August 2025 (≈114,570 km² held)",
        "p": (
            0.15,
            "Ukraine's expected share from fighting on; Russia's fastest advance in a year "
            "(this file's judgement)",
        ),
        "beliefs": ((4, 6), (3, 7)),
        "theta": 0.35,
        "kursk": None,
        "stances": {
            ("UKR", "T"): (95, 95, ("alaska2025",), "'will not give land to the occupier'"),
            ("UKR", "C"): (85, 75, ("jeddah2025",), "ready for an immediate ceasefire on the line"),
            ("USA", "T"): (
                35,
                60,
                ("hegseth2025",),
                "pre-2014 borders 'unrealistic'; 'land swapping' floated",
            ),
            ("USA", "N"): (10, 70, ("hegseth2025",), "NATO membership not 'a realistic outcome'"),
            ("USA", "G"): (50, 50, ("hegseth2025",), "guarantees by European troops, no US troops"),
            ("USA", "C"): (95, 85, ("jeddah2025",), "an immediate ceasefire, then a deal"),
        },
        "capability": {("USA", 70, ("hegseth2025",), "Europe asked to carry most future aid")},
        "war_levels": {},
    },
]


# --- edits -----------------------------------------------------------------------------------


def drop_later_sources(doc: CommentedMap, as_of: dt.date) -> list[str]:
    """Remove sources dated after ``as_of`` (and every ``proxy``); re-mark what leaned on them."""
    gone = [k for k, s in doc["sources"].items() if s.get("date") and s["date"] > as_of]
    for key in gone:
        del doc["sources"][key]
    for s in doc["sources"].values():
        s.pop("proxy", None)

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "source" in node and isinstance(node["source"], list):
                keep = [k for k in node["source"] if k not in gone]
                dropped = [k for k in node["source"] if k in gone]
                if dropped:
                    if keep:
                        node["source"] = seq(*keep)
                    else:
                        del node["source"]
                        node["judgement"] = True
                        tail = (
                            f"(carried as judgement: {', '.join(dropped)} postdates the as-of date)"
                        )
                        node["note"] = f"{node['note']} {tail}" if node.get("note") else tail
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(doc)
    return gone


def remove_kursk(doc: CommentedMap) -> None:
    doc["issues"] = CommentedSeq([i for i in doc["issues"] if i["id"] != "K"])
    for actor in doc["actors"]:
        actor["positions"].pop("K", None)
        actor.get("issue_capability", {}).pop("K", None)
    war = doc["war"]
    war.pop("parcels", None)
    war.pop("swap", None)
    war["settle"].pop("exclude", None)


def set_stance(doc: CommentedMap, actor: str, issue: str, spec: tuple[Any, ...]) -> None:
    position, salience, source, note = spec
    a = next(x for x in doc["actors"] if x["id"] == actor)
    stance = CommentedMap()
    stance["position"] = position
    stance["salience"] = salience
    stance["source"] = seq(*source)
    stance["judgement"] = True
    stance["note"] = note
    a["positions"][issue] = stance


def build(spec: dict[str, Any]) -> CommentedMap:
    yaml = YAML()
    base = yaml.load((FOLDER / f"{spec['base']}.yaml").read_text(encoding="utf-8"))
    doc = copy.deepcopy(base)
    as_of = spec["as_of"]
    doc["id"] = spec["id"]
    doc["title"] = spec["title"]
    tail = base["description"]
    doc["description"] = spec["description"] + (
        " " + tail[tail.index("Capability") :] if "Capability" in tail else ""
    )
    doc["as_of"] = as_of
    doc.pop("game", None)  # the flagship's game is about its own date's Kursk parcel
    drop_later_sources(doc, as_of)
    for key, src in spec["sources"].items():
        doc["sources"][key] = CommentedMap(src)
    # territory: the status quo from the front line
    held = spec["held"]
    t = t_of(held["value"])
    issue_t = next(i for i in doc["issues"] if i["id"] == "T")
    labels = issue_t["scale"]["labels"]
    for k in [k for k in labels if k not in (0, 68, 80, 100)]:
        del labels[k]
    labels.insert(1, t, spec["front_label"])
    sq = CommentedMap()
    sq["value"] = t
    if "source" in held:
        sq["source"] = held["source"]
    if held.get("judgement"):
        sq["judgement"] = True
    sq["note"] = (
        f"front line via T = 100·(1 − H/135,787), H = {held['value']:,.0f} km²: {held['note']}"
    )
    issue_t["status_quo"] = sq
    war = doc["war"]
    p, why = spec["p"]
    war["p"] = sourced(p, ("design",), judgement=True, note=why)
    war["commitment"]["q_B0"] = sourced(
        round(1 - p, 2),
        judgement=True,
        note="Russia's post-ceasefire odds without guarantees = 1 - p, no shift in its favour",
    )
    (ua, ub), (ra, rb) = spec["beliefs"]
    war["beliefs"]["UKR"]["alpha"] = flow({"value": ua, "judgement": True})
    war["beliefs"]["UKR"]["beta"] = flow({"value": ub, "judgement": True})
    war["beliefs"]["UKR"]["note"] = (
        f"Ukraine's belief about its odds of winning a battle, mean {ua / (ua + ub):.1f}, weight of "
        f"{ua + ub} battles (the weight is the series calibration; the mean is this file's judgement)"
    )
    war["beliefs"]["RUS"]["alpha"] = flow({"value": ra, "judgement": True})
    war["beliefs"]["RUS"]["beta"] = flow({"value": rb, "judgement": True})
    war["beliefs"]["RUS"]["note"] = (
        f"Russia's belief, mean {ra / (ra + rb):.1f}, weight of {ra + rb} battles (the weight is the "
        "series calibration; the mean is this file's judgement)"
    )
    war["front"]["theta"] = sourced(
        spec["theta"],
        judgement=True,
        note="true battle odds for the simulation (this file's judgement)",
    )
    if "mu" in spec:
        v, src, note = spec["mu"]
        war["screening"]["mu"] = sourced(v, src, judgement=True, note=note)
    if "kursk" in spec:
        if spec["kursk"] is None:
            remove_kursk(doc)
        else:
            war["parcels"]["KURSK"]["area"] = spec["kursk"]
    for (actor, issue), st in spec["stances"].items():
        set_stance(doc, actor, issue, st)
    for actor, value, source, note in spec.get("capability", set()):
        a = next(x for x in doc["actors"] if x["id"] == actor)
        a["capability"] = sourced(value, source, judgement=True, note=note)
    for iid, (value, source, note) in spec["war_levels"].items():
        war["settle"]["war_levels"][iid] = flow(
            {
                "value": value,
                **({"source": seq(*source)} if source else {}),
                "judgement": True,
                "note": note,
            }
        )
    used = _used_keys(doc)
    for key in [k for k in doc["sources"] if k not in used]:
        del doc["sources"][key]
    return doc


def _used_keys(node: Any) -> set[str]:
    out: set[str] = set()
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "source" and isinstance(v, list):
                out.update(v)
            elif k != "sources":
                out |= _used_keys(v)
    elif isinstance(node, list):
        for v in node:
            out |= _used_keys(v)
    return out


def main() -> int:
    yaml = YAML()
    yaml.width = 100
    yaml.indent(mapping=2, sequence=4, offset=2)
    for spec in DATES:
        doc = build(spec)
        doc.ca.comment = None
        path = FOLDER / f"{spec['id']}.yaml"
        with path.open("w", encoding="utf-8") as fh:
            fh.write(
                f"# {spec['title']}. Built by scripts/build_ukraine_series.py from {spec['base']}: the facts\n"
                "# of the date are set there with their sources; sources after the as-of date are dropped.\n"
            )
            yaml.dump(doc, fh)
        print(f"wrote {path.relative_to(ROOT)} (T = {t_of(spec['held']['value'])})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
