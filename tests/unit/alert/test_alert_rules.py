"""Rules file: validation with file and line, name resolution with suggestions, durations."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from newswire.alert.names import StaticResolver
from newswire.alert.rules import load_rules, parse_duration, parse_rules
from newswire.errors import ConfigError

KB = StaticResolver(
    {"Xi Jinping": ["Xi"], "Vladimir Putin": ["Putin", "V. Putin"], "Kim Jong Un": ["Kim Jong-un"]}
)

ISSUE_EXAMPLE = """\
receivers:
  - name: desk-webhook
    webhook: {url: "http://127.0.0.1:8088/hook", secret_env: NEWSWIRE_WEBHOOK_SECRET}
  - name: newsdesk-slack
    slack: {url_env: NEWSWIRE_SLACK_URL}
  - name: editor-mail
    email: {to: ["desk@example.org"], smtp: {host: 127.0.0.1, port: 8025}}
  - name: log
    log: {}
rules:
  - name: tracked-leaders-meet
    match: {types: [MEET], status: [occurred], min_confidence: 0.5}
    participants: {at_least: 2, of: ["Xi Jinping", "Putin", "Kim Jong-un"]}
    min_sources: 1
    severity: high
    group_wait: 0s
    repeat_interval: 4h
    receivers: [desk-webhook, newsdesk-slack]
"""


def test_issue_example_loads_and_aliases_become_canonical() -> None:
    rs = parse_rules(ISSUE_EXAMPLE, KB, source="rules.yaml")
    rule = rs.rules[0]
    assert rule.participants.of == ["Xi Jinping", "Vladimir Putin", "Kim Jong Un"]
    assert rule.repeat_interval == timedelta(hours=4) and rule.group_wait == timedelta(0)
    assert [r.kind for r in rs.receivers] == ["webhook", "slack", "email", "log"]


def test_unknown_leader_names_line_and_suggests() -> None:
    bad = ISSUE_EXAMPLE.replace('"Putin"', '"Vladmir Putin"')
    with pytest.raises(
        ConfigError, match=r"rules.yaml:13: .*unknown leader 'Vladmir Putin'; did you mean 'Vladimir Putin'"
    ):
        parse_rules(bad, KB, source="rules.yaml")


def test_allow_unknown_names_keeps_the_name() -> None:
    text = ISSUE_EXAMPLE.replace('"Putin"', '"Jane Doe"').replace(
        "min_sources: 1", "allow_unknown_names: true"
    )
    assert "Jane Doe" in (parse_rules(text, KB).rules[0].participants.of or [])


@pytest.mark.parametrize(
    ("change", "line", "reason"),
    [
        (("repeat_interval: 4h", "repeat_interval: soon"), 17, "not a duration"),
        (
            ("receivers: [desk-webhook, newsdesk-slack]", "receivers: [desk-webhook, pager]"),
            18,
            "unknown receiver 'pager'",
        ),
        (("min_sources: 1", "min_sources: 0"), 14, "greater than or equal to 1"),
        (("types: [MEET]", "types: [MEETING]"), 12, "MEET"),
        (("    log: {}", "    log: {}\n    slack: {url: 'http://x'}"), 8, "exactly one of"),
        (("severity: high", "severity: high\n    colour: red"), 16, "Extra inputs are not permitted"),
        (("participants: {", "participants: {{"), 14, "not valid YAML"),
    ],
)
def test_invalid_files_fail_with_file_line_and_reason(
    change: tuple[str, str], line: int, reason: str
) -> None:
    with pytest.raises(ConfigError) as e:
        parse_rules(ISSUE_EXAMPLE.replace(*change), KB, source="rules.yaml")
    assert str(e.value).startswith(f"rules.yaml:{line}:"), str(e.value)
    assert reason in str(e.value)


def test_load_rules_from_file_and_default(tmp_path: Path) -> None:
    p = tmp_path / "r.yaml"
    p.write_text(ISSUE_EXAMPLE)
    assert load_rules(p, KB).source == str(p)
    default = load_rules(None, KB)
    assert default.rules[0].name == "tracked-leaders-meet" and default.rules[0].receivers == ["log"]
    with pytest.raises(ConfigError, match="cannot read"):
        load_rules(tmp_path / "missing.yaml", KB)


def test_durations() -> None:
    assert parse_duration("1h30m") == timedelta(minutes=90)
    assert parse_duration("250ms") == timedelta(milliseconds=250)
    assert parse_duration(5) == timedelta(seconds=5)
    with pytest.raises(ValueError):
        parse_duration("4 hours")
