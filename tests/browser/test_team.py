"""A team of three caseworkers and a supervisor in headless Chromium, sixty intakes between them: a hand-over
reaches the colleague's "my cases" while their queue is open, a claim in one browser shows in another's queue
and open intake page without a reload, and the supervisor's view shows who waits how long, with links."""
from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from tests.browser.conftest import OUTPUT, PASSWORD

pytestmark = pytest.mark.browser
TEAM = ("wang", "li", "zhao")
CHANNELS = ("api:partner", "phone", "telegram", "wechat", "station")
LIVE = 15_000  # ms a live change may take to show (polling every 3 s): generous for a loaded machine


def seed_team(tmp_path) -> list[int]:
    """Sixty applications of the realistic mix, filed over four days on five channels; fifteen given to each
    of wang, li and zhao and fifteen to nobody; some decided, some referred, a sample of return visits."""
    from sqlalchemy import update

    from bot.wiring import build_services
    from intake.charity import match_programmes
    from intake.eligibility import prescreen
    from intake.models import Intake, utcnow
    from tests.bot.conftest import make_settings
    from tests.intake.caseload import caseload

    settings = make_settings(tmp_path, database_url=f"sqlite+aiosqlite:///{tmp_path / 'console.db'}")

    async def write() -> list[int]:
        services = await build_services(settings)
        store, queue = services.intakes, services.queue
        try:
            for name in TEAM[1:]:
                await store.add_user(name, "caseworker", PASSWORD)
            await store.add_user("boss", "supervisor", PASSWORD)
            ids, now = [], utcnow()
            for n, record in enumerate(caseload(60)):
                screen = prescreen(record, services.params)
                stored = {"prescreen": screen.to_dict(),
                          "matches": [m.to_dict() for m in match_programmes(record, screen)], "duplicates": []}
                intake_id = await store.submit(record, channel=CHANNELS[n % 5], user_id=f"team-{n}", locale="zh",
                                               prescreen=stored)
                async with store.engine.begin() as conn:  # filed over the last four days
                    await conn.execute(update(Intake).where(Intake.id == intake_id).values(
                        submitted_at=now - timedelta(hours=(n * 37) % 96 + 1)))
                ids.append(intake_id)
            for n, intake_id in enumerate(ids[:45]):
                await store.assign([intake_id], TEAM[n % 3], actor="boss", note="本周分工")
            for n, intake_id in enumerate(ids[45:51]):  # decided by their caseworker
                worker = TEAM[n % 3]
                await store.assign([intake_id], worker, actor="boss")
                await queue.claim(intake_id, worker=worker)
                matches = (await store.get(intake_id)).prescreen["matches"]
                if matches:
                    await store.add_referral(intake_id, matches[0], actor=worker)
                await store.accept(intake_id, actor=worker)
                if n < 4:
                    await queue.claim(intake_id, worker=worker)
                    await store.close_intake(intake_id, actor=worker, reason="已发放救助金")
            _, drawn = await store.draw_sample(4, actor="boss")
            for visit, outcome in zip(await store.return_visits(), ("helped", "reached", "still_in_need")):
                if outcome != "still_in_need":
                    await store.record_visit(visit.id, outcome, actor="boss")
            return ids
        finally:
            await services.aclose()

    with ThreadPoolExecutor(1) as pool:  # Playwright's sync API runs an event loop in this thread
        return pool.submit(asyncio.run, write()).result()


def signed_in(browser, served, name: str, target: str, problems: list[str]):
    """A browser context of its own (its own cookies) signed in as `name`, at `target`; CSP reports collected."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{served.base_url}/console/login")
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("#signin")
    page.wait_for_load_state()
    page.goto(f"{served.base_url}{target}")
    return page


def test_a_team_hands_over_claims_live_and_a_supervisor_sees_who_waits(served, browser, tmp_path):
    from playwright.sync_api import expect

    ids = seed_team(tmp_path)
    OUTPUT.mkdir(exist_ok=True)
    problems: list[str] = []
    wang = signed_in(browser, served, "wang", "/console/queue?view=unassigned", problems)
    li = signed_in(browser, served, "li", "/console/queue?view=mine", problems)
    assert li.locator("table.queue tbody tr").count() == 15  # her fifteen open ones (not the two she decided)
    assert "(15)" in li.inner_text("#view-mine")  # open ones

    # wang hands an unassigned intake to li with a note; her open "my cases" shows it without a reload
    handed = int(wang.locator("table.queue tbody tr").first.get_attribute("data-intake"))
    wang.goto(f"{served.base_url}/console/intakes/{handed}")
    assert wang.inner_text("#assigned-to") == "未分派"
    wang.click("#assign-more summary")
    wang.select_option("#assign-to", "li")
    wang.fill("#assign-note", "住在李社工负责的社区")
    wang.click("#assign")
    wang.wait_for_url(re.compile(rf".*/console/intakes/{handed}\?done=assigned"))
    assert "现由 li 负责" in wang.inner_text("#assigned-to")
    wang.click("#assign-more summary")
    assert "wang 把申请从 未分派 交给 li" in wang.inner_text("#assignments")
    assert "住在李社工负责的社区" in wang.inner_text("#assignments")
    expect(li.locator(f'tr[data-intake="{handed}"]')).to_be_visible(timeout=LIVE)
    assert li.locator(f'tr[data-intake="{handed}"] td.assigned').inner_text() == "li"
    li.screenshot(path=str(OUTPUT / "team-my-cases.png"), full_page=True)

    # li's queue and an intake page are open; wang claims in his own browser: both show it within seconds
    zhaos = next(i for n, i in enumerate(ids[:45]) if n % 3 == 2)
    li.goto(f"{served.base_url}/console/queue?assignee=zhao")
    li_intake = signed_in(browser, served, "li", f"/console/intakes/{zhaos}", problems)
    assert li.locator(f'tr[data-intake="{zhaos}"] .status.submitted').count() == 1
    wang.goto(f"{served.base_url}/console/queue?q={zhaos}")
    wang.locator(f'tr[data-intake="{zhaos}"] button.claim').click()
    wang.wait_for_url(re.compile(rf".*/console/intakes/{zhaos}\?done=claimed$"))
    row = li.locator(f'tr[data-intake="{zhaos}"]')
    expect(row.locator(".status.claimed")).to_be_visible(timeout=LIVE)
    assert "wang" in row.inner_text() and "zhao" in row.locator("td.assigned").inner_text()
    expect(li_intake.locator("#intake-status")).to_have_text("审核中", timeout=LIVE)
    expect(li_intake.locator("#held-by")).to_contain_text("wang")
    assert li_intake.locator("#changed").is_visible()
    li.screenshot(path=str(OUTPUT / "team-queue-live.png"), full_page=True)
    li_intake.screenshot(path=str(OUTPUT / "team-intake-live.png"))

    # bulk: wang gives two unassigned intakes to zhao from the queue
    wang.goto(f"{served.base_url}/console/queue?view=unassigned")
    picked = [wang.locator("table.queue tbody tr").nth(n).get_attribute("data-intake") for n in (0, 1)]
    for number in picked:
        wang.check(f"#pick-{number}")
    wang.select_option("#bulk-to", "zhao")
    wang.fill("#bulk-note", "批量分派")
    wang.click("#bulk-assign")
    wang.wait_for_url(re.compile(r".*view=unassigned.*done=assigned"))
    assert all(wang.locator(f'tr[data-intake="{n}"]').count() == 0 for n in picked)

    # the supervisor's view: three caseworkers and the unassigned, each figure a link to the intakes behind it
    boss = signed_in(browser, served, "boss", "/console/team", problems)
    workers = boss.locator("#caseworkers tbody tr")
    assert [workers.nth(n).get_attribute("data-worker") for n in range(workers.count())] == ["li", "wang", "zhao", ""]
    li_row = boss.locator('#caseworkers tr[data-worker="li"]')
    assert li_row.locator("a.open").inner_text() == "16"
    overdue = int(li_row.locator("a.overdue").inner_text())
    assert 0 < overdue < 16
    late = int(boss.inner_text("#overdue-count"))
    assert boss.locator("#overdue tbody tr").count() == min(late, 20)  # the longest waiting first, then a link
    assert boss.locator("#caseworkers svg.chart").count() == 2 and boss.locator("#follow-up svg.chart").count() == 1
    assert boss.locator("#referrals tbody tr").count() >= 1
    boss.screenshot(path=str(OUTPUT / "team-supervisor.png"), full_page=True)
    li_row.locator("a.overdue").click()
    boss.wait_for_url(re.compile(r".*/console/queue\?.*assignee=li.*overdue=1"))
    assert boss.locator("table.queue tbody tr").count() == overdue
    boss.screenshot(path=str(OUTPUT / "team-overdue-li.png"), full_page=True)
    sheet = boss.context.request.get(f"{served.base_url}/console/team.csv?kind=caseworkers").text()
    assert re.search(rf"^li,16,\d+,{overdue},", sheet, re.M)
    assert problems == []
