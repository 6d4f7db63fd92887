"""The console's own wording in zh and en; application labels come from `dialogs.texts`."""
from __future__ import annotations

from typing import Any

LOCALES = ("zh", "en")

# key: (zh, en)
TEXTS: dict[str, tuple[str, str]] = {
    "title": ("善桥 · 社工工作台", "Shanqiao · caseworker console"),
    "nav.queue": ("待办队列", "Queue"),
    "nav.decided": ("已处理", "Decided"),
    "nav.supervisor": ("主管视图", "Supervisor"),
    "nav.signout": ("退出", "Sign out"),
    "nav.api": ("API 文档", "API docs"),
    "login.title": ("登录", "Sign in"),
    "login.name": ("账号", "Name"),
    "login.password": ("密码", "Password"),
    "login.submit": ("登录", "Sign in"),
    "login.wrong": ("账号或密码不正确。", "Wrong name or password."),
    "login.locked": ("尝试次数过多，账号已锁定至 {until}。", "Too many attempts: the account is locked until {until}."),
    "login.expired": ("页面已过期，请重新登录。", "The page expired; please sign in again."),
    "home.staff": ("您的账号用于电话和社区站受理：点上方「电话受理」开始，「回访名单」是社工要求补充信息的来电人。",
                   "Your account is for phone and station intake: open \"Phone intake\" above to start; "
                   "\"Call-backs\" lists callers a caseworker needs more information from."),
    "nav.phone": ("电话受理", "Phone intake"),
    "nav.callbacks": ("回访清单", "Call-back list"),
    "queue.title": ("待办队列", "Queue"),
    "queue.decided": ("已处理的申请", "Decided intakes"),
    "queue.claim_next": ("领取下一件", "Claim next"),
    "queue.empty": ("队列中没有等待的申请。", "Nothing is waiting."),
    "error.nothing_to_claim": ("现在没有可以领取的申请。", "Nothing is waiting to be claimed."),
    "queue.waiting": ("等待 {n} 件（紧急 {urgent} 件），处理中 {claimed} 件", "{n} waiting ({urgent} urgent), {claimed} being reviewed"),
    "queue.mine": ("我正在处理", "Mine"),
    "queue.target": ("目标时限 {hours} 小时", "target {hours} h"),
    "col.number": ("编号", "No."),
    "col.status": ("状态", "Status"),
    "col.channel": ("渠道", "Channel"),
    "col.age": ("已等待", "Age"),
    "col.holder": ("处理人", "Held by"),
    "col.updated": ("更新", "Updated"),
    "urgent": ("紧急", "urgent"),
    "age.hours": ("{h} 小时", "{h} h"),
    "age.days": ("{d} 天 {h} 小时", "{d} d {h} h"),
    "status.submitted": ("等待受理", "waiting"),
    "status.claimed": ("审核中", "claimed"),
    "status.needs_information": ("待补充信息", "needs information"),
    "status.accepted": ("已受理", "accepted"),
    "status.referred": ("已转介", "referred"),
    "status.rejected": ("未通过", "rejected"),
    "status.closed": ("已办结", "closed"),
    "intake.title": ("申请 {n}", "Intake {n}"),
    "intake.held_by_you": ("由您处理，租约至 {until}", "Yours until {until}"),
    "intake.held_by": ("{who} 正在处理", "Held by {who}"),
    "intake.lease_lost": ("您已不再持有这件申请。", "You no longer hold this intake."),
    "intake.not_claimed": ("请从队列领取后再作决定。", "Claim it from the queue to decide."),
    "intake.submitted_at": ("提交于 {at}", "Submitted {at}"),
    "intake.by_staff": ("由工作人员 {who} 代为录入", "Entered by staff {who}"),
    "intake.referral": ("已转介：{name}", "Referred to: {name}"),
    "section.decide": ("决定", "Decide"),
    "section.prescreen": ("预审结果（仅供参考）", "Pre-screen (guidance, not a decision)"),
    "section.matches": ("可转介的慈善项目", "Matching charity programmes"),
    "section.answers": ("申请内容", "Answers"),
    "section.requests": ("补充信息请求", "Requests for more information"),
    "section.attachments": ("附件", "Attachments"),
    "section.transcript": ("对话记录", "Transcript"),
    "section.notes": ("备注", "Notes"),
    "section.audit": ("操作记录", "Audit trail"),
    "duplicates": ("可能重复：以下申请涉及同一家庭成员", "Possible duplicate: these intakes involve the same people"),
    "duplicate.line": ("编号 {n}（{status}）：{name}", "No. {n} ({status}): {name}"),
    "outcome.met": ("符合", "met"),
    "outcome.not_met": ("不符合", "not met"),
    "outcome.unknown": ("无法判断", "unknown"),
    "no_prescreen": ("没有预审结果。", "No pre-screen result."),
    "no_matches": ("没有匹配的慈善项目。", "No matching programme."),
    "action.accept": ("受理", "Accept"),
    "action.accept_note": ("给居民的话（可选）", "A word to the resident (optional)"),
    "action.reject": ("不予通过", "Reject"),
    "action.reject_reason": ("原因（居民会看到）", "Reason (the resident will read it)"),
    "action.request": ("请居民补充信息", "Request more information"),
    "action.request_note": ("给居民的留言", "Note to the resident"),
    "action.request_items": ("需要补充的项目", "Items to provide again"),
    "action.refer": ("转介到此项目", "Refer to this programme"),
    "action.release": ("放回队列", "Release"),
    "action.close": ("办结", "Close"),
    "action.close_reason": ("办结原因（居民会看到）", "Reason (the resident will read it)"),
    "action.note": ("添加备注", "Add note"),
    "done.accepted": ("已受理，已通知居民。", "Accepted; the resident has been told."),
    "done.rejected": ("已作出不予通过的决定，已通知居民。", "Rejected; the resident has been told."),
    "done.referred": ("已转介，已通知居民。", "Referred; the resident has been told."),
    "done.closed": ("已办结，已通知居民。", "Closed; the resident has been told."),
    "done.requested": ("已请居民补充信息，对话已重新打开。", "More information requested; the conversation is reopened."),
    "done.released": ("已放回队列。", "Released to the queue."),
    "done.not_told": ("决定已保存，但未能通知居民，请电话联系。", "Saved, but the resident could not be reached: please call them."),
    "error.already_claimed": ("这件申请由其他社工处理中。", "Another caseworker holds this intake."),
    "error.invalid_transition": ("这件申请当前状态下不能这样处理。", "That step is not possible in the intake's current state."),
    "error.lease_lost": ("您的租约已过期，申请已回到队列。", "Your lease ran out; the intake went back to the queue."),
    "error.not_found": ("没有这件申请。", "No such intake."),
    "error.no_open_request": ("没有待回复的补充请求。", "No open request for information."),
    "error.invalid_input": ("请检查填写的内容。", "Please check what you entered."),
    "error.not_held": ("请先领取这件申请，再作决定。", "Claim this intake before deciding on it."),
    "done.claimed": ("已领取，其他社工不能同时处理。", "Claimed: nobody else can work on it meanwhile."),
    "request.open": ("等待居民回复", "waiting for the resident"),
    "request.answered": ("居民已回复（{at}）", "answered by the resident ({at})"),
    "request.withdrawn": ("已撤回", "withdrawn"),
    "request.by": ("{who} 于 {at} 请求", "asked by {who} on {at}"),
    "answer.age": ("年龄", "Age"),
    "answer.documents": ("补充材料", "Additional documents"),
    "answer.changed": ("补充后更新", "updated after a request"),
    "who.resident": ("居民", "resident"),
    "who.bot": ("善桥", "Shanqiao"),
    "who.staff": ("工作人员", "staff"),
    "who.system": ("系统", "system"),
    "no_notes": ("还没有备注。", "No notes yet."),
    "no_attachments": ("没有附件。", "No attachments."),
    "no_transcript": ("没有对话记录。", "No transcript."),
    "sup.title": ("主管视图", "Supervisor view"),
    "sup.depth": ("队列深度", "Queue depth"),
    "sup.urgent": ("紧急", "Urgent"),
    "sup.claimed": ("处理中", "Being reviewed"),
    "sup.oldest": ("最久等待", "Oldest waiting"),
    "sup.ages": ("等待时长分布", "Waiting times"),
    "sup.throughput": ("每日处理量（近 14 天）", "Decisions per day (last 14 days)"),
    "sup.statuses": ("提交后的去向", "After submission: where intakes are"),
    "sup.funnel": ("申请中途停在哪一步", "Where residents stop in the application"),
    "sup.funnel_missing": ("会话存储尚未提供统计，暂时无法显示。", "The conversation store does not report this yet."),
    "sup.unanswered": ("知识库未能回答的问题", "Questions the knowledge base could not answer"),
    "sup.none": ("没有。", "None."),
    "sup.limited": ("统计基于最近 {n} 件申请。", "Figures cover the latest {n} intakes."),
    "bucket.under_half": ("< 目标一半", "< half target"),
    "bucket.under_target": ("< 目标", "< target"),
    "bucket.over_target": ("超过目标", "over target"),
    "bucket.over_double": ("超过两倍目标", "over twice the target"),
}


def lookup(table: dict[str, tuple[str, str]], locale: str, key: str, **params: Any) -> str:
    """A (zh, en) text of `table` in `locale` (Chinese for an unknown locale); the key itself if unknown."""
    pair = table.get(key)
    if pair is None:
        return key
    template = pair[1] if locale == "en" else pair[0]
    return template.format(**params) if params else template


def known(key: str) -> bool:
    """Whether `key` is one of the console's texts."""
    return key in TEXTS


def text(locale: str, key: str, **params: Any) -> str:
    """The console text `key` in `locale`."""
    return lookup(TEXTS, locale, key, **params)


def pick_locale(accept_language: str | None, default: str = "zh") -> str:
    """The first of zh / en the browser prefers, else `default`."""
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LOCALES:
            return code
    return default
