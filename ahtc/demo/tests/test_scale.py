"""The province-scale generator (issue 19): proportions, skew, dates,
encryption, the services' invariants, determinism and the refusal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count, F, Min
from django.test import override_settings
from django.utils import translation

from ahtc.accounts.models import User
from ahtc.cases.models import Case, CaseCounter, Fir, Party, Status, Verdict
from ahtc.core.audit import audit_chain_verify
from ahtc.core.models import AuditEvent
from ahtc.demo.build import demo_build
from ahtc.demo.scale import (
    BUSY_DISTRICT,
    REFERENCE,
    ScaleError,
    ScaleResult,
    ScaleSizes,
    apportion,
    scale_build,
    scale_refusal,
)
from ahtc.geography.models import Area, AreaLevel
from ahtc.people.models import Identifier, IdentifierKind, Person
from ahtc.people.services import identifier_hash, people_with_identifier
from ahtc.portal.duplicates import indicators_from
from ahtc.portal.models import Tip, TipIndicator, TipStatus
from ahtc.portal.services import tip_submit
from ahtc.victims.models import FollowUp, ProtectionRecord, RecordCounter, Referral

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
FACTOR = 0.005  # 1,002 reports, 100 cases, 253 people, 101 records, 5,014 audit events
MODELS: dict[str, Any] = {
    "reports": Tip,
    "cases": Case,
    "people": Person,
    "records": ProtectionRecord,
    "referrals": Referral,
    "follow_ups": FollowUp,
    "indicators": TipIndicator,
}


def _counts() -> dict[str, int]:
    return {name: model.objects.count() for name, model in MODELS.items()}


class Built:
    def __init__(self, result: ScaleResult, lines: list[str]) -> None:
        self.result, self.lines = result, lines
        self.sizes = ScaleSizes.province(factor=FACTOR)

    def added(self, name: str) -> int:
        """Rows of the scale run itself (the demo's second build may add its own)."""
        return int(MODELS[name].objects.count()) - self.result.base_counts[name]

    def scale_tips(self) -> Any:
        return Tip.objects.filter(idempotency_hash__in=self.tip_hashes())

    def tip_hashes(self) -> list[str]:
        from ahtc.portal.receipts import idempotency_hash

        first = self.result.base_counts["reports"]
        return [idempotency_hash(f"scale:1:{first + n}") for n in range(self.sizes.reports)]


@pytest.fixture(scope="class")
def built(django_db_setup: None, django_db_blocker: Any) -> Iterator[Built]:
    hashers = override_settings(PASSWORD_HASHERS=FAST_HASHER)
    with django_db_blocker.unblock(), hashers, translation.override("en"), transaction.atomic():
        demo_build()  # a database holding the demo only is accepted
        lines: list[str] = []
        sizes = ScaleSizes.province(factor=FACTOR)
        result = scale_build(sizes=sizes, seed=1, progress=lines.append)
        yield Built(result, lines)
        transaction.set_rollback(True)


# --- sizes -------------------------------------------------------------------------------


def test_sizes_keep_the_trial_ratios() -> None:
    sizes = ScaleSizes.province(factor=0.1)
    assert sizes.reports == round(REFERENCE["reports"] * 0.1)
    assert sizes.records == round(sizes.people * REFERENCE["records"] / REFERENCE["people"])
    assert sizes.follow_ups == 4 * sizes.records
    assert abs(sizes.referrals / sizes.records - 36_246 / 20_111) < 0.01
    assert abs(sizes.audit_events / sizes.reports - 1_002_938 / 200_335) < 0.01


def test_explicit_sizes_win_over_the_factor() -> None:
    sizes = ScaleSizes.province(factor=0.01, reports=500, cases=40, people=90, years=2)
    assert (sizes.reports, sizes.cases, sizes.people, sizes.years) == (500, 40, 90, 2)


def test_people_beyond_what_the_cases_name_are_in_the_register_without_a_case() -> None:
    sizes = ScaleSizes.province(reports=1_000, cases=100, people=10_000, records=500)
    assert sizes.records == 500
    assert sizes.case_others == 4 * 100  # at most four others a case
    assert sizes.registry == 10_000 - 500 - 400
    trial = ScaleSizes.province(factor=1)
    assert trial.registry == 0  # the trial's people are all named in cases
    assert trial.case_others == trial.people - trial.records


@pytest.mark.parametrize(
    ("options", "why"),
    [
        ({"people": 10, "records": 11}, "between 0 and the number of people"),
        ({"factor": 0}, "factor must be more than 0"),
        ({"reports": 10, "cases": 20}, "more cases than reports"),
        ({"years": 0}, "between 1 and 10"),
        ({"people": 0}, "at least 1"),
    ],
)
def test_bad_sizes_are_refused_with_the_reason(options: dict[str, Any], why: str) -> None:
    with pytest.raises(ScaleError, match=why):
        ScaleSizes.province(**options)


def test_apportion_gives_every_part_its_minimum_and_the_exact_total() -> None:
    parts = apportion(100, [0.35, *[0.65 / 40] * 40], minimum=1)
    assert sum(parts) == 100
    assert min(parts) >= 1
    assert parts[0] == max(parts)


# --- one tiny run ------------------------------------------------------------------------


class TestTinyRun:
    """One run at FACTOR, shared by the tests of this class (rolled back after)."""

    @pytest.mark.django_db
    def test_tiny_run_has_the_trial_proportions(self, built: Built) -> None:
        sizes = built.sizes
        assert built.added("reports") == sizes.reports
        assert built.added("cases") == sizes.cases
        assert built.added("people") == sizes.people
        assert built.added("records") == sizes.records
        assert built.added("follow_ups") == sizes.follow_ups
        assert 0.95 * sizes.referrals <= built.added("referrals") <= sizes.referrals
        assert built.result.counts["audit_events"] == sizes.audit_events
        per_report = built.added("indicators") / sizes.reports
        assert abs(per_report - REFERENCE["indicators"] / REFERENCE["reports"]) < 0.25

    @pytest.mark.django_db
    def test_progress_is_printed_for_every_batch(self, built: Built) -> None:
        assert any(
            line.endswith(f"of {built.sizes.reports:,} citizen reports…") for line in built.lines
        )
        assert any(line.endswith(f"of {built.sizes.cases:,} cases…") for line in built.lines)

    @pytest.mark.django_db
    def test_every_district_gets_reports_and_cases(self, built: Built) -> None:
        districts = Area.objects.current().filter(level=AreaLevel.DISTRICT)
        with_reports = built.scale_tips().order_by().values("district").distinct()
        last_base_case = Case.objects.order_by("-pk")[built.added("cases")].pk
        with_cases = Case.objects.filter(pk__gt=last_base_case).order_by()
        assert with_reports.count() == districts.count() == 41
        assert with_cases.values("district").distinct().count() == 41

    @pytest.mark.django_db
    def test_mandi_bahauddin_holds_about_35_percent(self, built: Built) -> None:
        tips = built.scale_tips()
        share = tips.filter(district__code=BUSY_DISTRICT).count() / tips.count()
        assert 0.33 <= share <= 0.37
        by_district = tips.order_by().values("district").annotate(n=Count("id")).order_by("-n")
        assert by_district[0]["district"] == Area.objects.get(code=BUSY_DISTRICT).pk
        assert by_district[1]["n"] < by_district[0]["n"] / 3  # a long tail after it

    @pytest.mark.django_db
    def test_dates_spread_over_the_three_years(self, built: Built) -> None:
        now = built.result.now
        tips = built.scale_tips()
        first = tips.aggregate(m=Min("created_at"))["m"]
        assert first >= now - dt.timedelta(days=3 * 365)
        assert not tips.filter(created_at__gt=now).exists()
        for year in range(3):
            start = now - dt.timedelta(days=365 * (year + 1))
            n = tips.filter(created_at__gte=start, created_at__lt=start + dt.timedelta(days=365))
            assert 0.25 < n.count() / tips.count() < 0.42

    @pytest.mark.django_db
    def test_encrypted_fields_are_ciphertext_in_the_raw_table(self, built: Built) -> None:
        tip = next(t for t in built.scale_tips() if t.involved)
        assert tip is not None
        person = Person.objects.filter(created_by__username__startswith="scale_").first()
        record = ProtectionRecord.objects.filter(created_by__username__startswith="scale_").first()
        assert person is not None
        assert record is not None
        raw = {
            ("portal_tip", "description", tip.pk): tip.description,
            ("portal_tip", "involved", tip.pk): tip.involved,
            ("people_person", "name_latin", person.pk): person.name_latin,
            ("victims_protectionrecord", "address", record.pk): record.address,
        }
        with connection.cursor() as cursor:
            for (table, column, pk), plain in raw.items():
                cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
                stored = cursor.fetchone()[0]
                assert stored.startswith("enc1:"), (table, column)
                assert plain
                assert plain not in stored

    @pytest.mark.django_db
    def test_keyed_hashes_are_the_services_own(self, built: Built) -> None:
        tip = next(t for t in built.scale_tips() if t.involved)
        assert tip is not None
        expected = indicators_from(f"{tip.involved}\n{tip.contact}")
        assert set(tip.indicators.values_list("kind", "value_hash")) == expected
        identifier = Identifier.objects.filter(person__created_by__username__startswith="scale_")
        one = identifier.filter(kind="phone").first()
        assert one is not None
        assert one.value_hash == identifier_hash("phone", one.value)
        assert (
            people_with_identifier(IdentifierKind.PHONE, one.value)
            .filter(pk=one.person_id)
            .exists()
        )

    @pytest.mark.django_db
    def test_indicator_rows_carry_their_reports_district(self, built: Built) -> None:
        """Duplicate suggestions count values per district on these rows (issue 19)."""
        rows = TipIndicator.objects.filter(tip__in=built.scale_tips())
        assert rows.exists()
        assert not rows.exclude(district=F("tip__district")).exists()

    @pytest.mark.django_db
    def test_common_names_are_common_and_found_by_the_name_search(self, built: Built) -> None:
        search = pytest.importorskip("ahtc.people.search")
        people = Person.objects.filter(created_by__username__startswith="scale_")
        found = search.people_named("muhammad", people).count()
        assert found > 0.1 * people.count()
        assert search.people_named("بلال", people).exists()

    @pytest.mark.django_db
    def test_numbers_are_unique_and_the_counters_continue(self, built: Built) -> None:
        from ahtc.cases.services import case_open

        assert Case.objects.values("reference").distinct().count() == Case.objects.count()
        for counter in CaseCounter.objects.all():
            top = Case.objects.filter(district_id=counter.district_id, year=counter.year)
            assert counter.last == max(top.values_list("number", flat=True), default=0)
        for victims in RecordCounter.objects.all():
            numbers = ProtectionRecord.objects.filter(district_id=victims.district_id)
            mine = [int(n.rsplit("-", 1)[1]) for n in numbers.values_list("number", flat=True)
                    if f"-{victims.year}-" in n]  # fmt: skip
            assert victims.last == max(mine, default=0)
        officer = User.objects.get(username="officer_mbdin")
        district = Area.objects.get(code=BUSY_DISTRICT)
        case = case_open(
            district=district, by=officer, title="After the scale run", origin="walk_in"
        )
        assert Case.objects.filter(reference=case.reference).count() == 1

    @pytest.mark.django_db
    def test_statuses_agree_with_what_they_need(self, built: Built) -> None:
        tips = built.scale_tips()
        assert tips.filter(status=TipStatus.LINKED).exists()
        assert not tips.filter(status=TipStatus.LINKED, case__isnull=True).exists()
        assert not tips.filter(
            status__in=["not_actionable", "duplicate", "referred"], closed_at=None
        )
        assert not tips.exclude(status="new").filter(acknowledged_at=None).exists()
        scale_cases = Case.objects.filter(opened_by__username__startswith="scale_")
        with_fir = scale_cases.filter(status__in=["fir_registered", "investigation", "trial"])
        assert not with_fir.filter(firs=None).exists()
        for case in scale_cases.filter(status__in=[Status.CONVICTED, Status.ACQUITTED]):
            accused = Party.objects.filter(case=case).exclude(
                role__in=["victim", "complainant", "witness"]
            )
            assert Verdict.objects.filter(party__case=case).count() == accused.count() > 0
        assert not Fir.objects.filter(date__gt=built.result.now.date()).exists()
        sent = Referral.objects.exclude(status="draft").filter(
            record__created_by__username__startswith="scale_"
        )
        assert sent.exists()
        assert not sent.filter(sent_at=None).exists()
        for referral in sent[:50]:
            assert referral.record.consents.filter(service=referral.service).exists()

    @pytest.mark.django_db
    def test_follow_ups_are_due_as_record_create_plans_them(self, built: Built) -> None:
        record = ProtectionRecord.objects.filter(created_by__username__startswith="scale_").first()
        assert record is not None
        assert record.follow_ups.count() == 4
        assert not FollowUp.objects.filter(done_on__gt=built.result.now.date()).exists()

    @pytest.mark.django_db
    def test_audit_chain_stays_intact(self, built: Built) -> None:
        report = audit_chain_verify(batch_size=5000)
        assert report.intact, report.problems[:3]
        assert AuditEvent.objects.filter(actor__username__startswith="scale_").exists()

    @pytest.mark.django_db
    def test_a_second_run_is_refused_unless_forced(self, built: Built) -> None:
        assert "already holds a province-scale run" in scale_refusal()
        with pytest.raises(ScaleError, match="--force"):
            scale_build(sizes=ScaleSizes.province(reports=5, cases=1, people=2))

    @pytest.mark.django_db
    def test_forced_second_run_adds_rows_with_new_numbers(self, built: Built) -> None:
        with override_settings(PASSWORD_HASHERS=FAST_HASHER), transaction.atomic():
            sizes = ScaleSizes.province(reports=30, cases=5, people=10)
            result = scale_build(sizes=sizes, seed=1, force=True)
            assert Tip.objects.count() == result.base_counts["reports"] + 30
            assert Case.objects.count() == result.base_counts["cases"] + 5
            assert audit_chain_verify(batch_size=5000).intact
            transaction.set_rollback(True)


# --- determinism and the refusal on a database with other data ----------------------------


def _fingerprint(result: ScaleResult) -> tuple[Any, ...]:
    cases = Case.objects.filter(opened_by__username__startswith="scale_")
    return (
        sorted(result.counts.items()),
        _counts(),
        sorted(cases.values_list("reference", "status", "title")),
        sorted(
            Tip.objects.values_list("district__code", "category", "status").annotate(n=Count("id"))
        ),
    )


@pytest.mark.django_db
def test_same_seed_gives_the_same_rows() -> None:
    prints = []
    with override_settings(PASSWORD_HASHERS=FAST_HASHER):
        for _run in range(2):
            with transaction.atomic():
                sizes = ScaleSizes.province(reports=200, cases=20, people=150, records=10)
                result = scale_build(sizes=sizes, seed=7)
                prints.append(_fingerprint(result))
                added = Person.objects.order_by("-pk")[: sizes.people]
                no_case = Person.objects.filter(pk__in=added, parties__isnull=True)
                assert sizes.registry == 150 - 10 - 80
                assert no_case.count() == sizes.registry
                assert Person.objects.count() - result.base_counts["people"] == sizes.people
                assert audit_chain_verify(batch_size=5000).intact
                transaction.set_rollback(True)
    assert prints[0] == prints[1]


@pytest.mark.django_db
def test_database_with_other_data_is_refused_and_left_as_it_was() -> None:
    district = Area.objects.get(code="PK610")
    tip_submit(
        client_token="someone-else", category="other", district=district, tehsil=None,
        description="A report typed by a citizen.", child_involved="unknown",
    )  # fmt: skip
    assert "1 citizen reports" in scale_refusal()
    with pytest.raises(CommandError, match="not from the demo") as refused:
        call_command(
            "demo", "--scale", "province", "--reports", "5", "--cases", "1", "--people", "2"
        )
    assert "--force" in str(refused.value)
    assert Tip.objects.count() == 1
    assert not User.objects.filter(username__startswith="scale_").exists()


@pytest.mark.django_db
def test_command_refuses_bad_sizes_with_the_reason() -> None:
    with pytest.raises(CommandError, match="more cases than reports"):
        call_command("demo", "--scale", "province", "--reports", "5", "--cases", "9")


@pytest.mark.django_db
def test_ahtc_demo_passes_the_scale_options_and_prints_a_refusal(capsys: Any) -> None:
    from ahtc.cli import main

    assert main(["demo", "--scale", "province", "--reports", "5", "--cases", "9"]) == 1
    err = capsys.readouterr().err
    assert "There cannot be more cases than reports." in err
    assert "Traceback" not in err
