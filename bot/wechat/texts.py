"""What the WeChat channel says in its own words, zh and en; the dialogs' texts come from `dialogs.texts`."""
from __future__ import annotations

from dialogs.catalogue import Catalogue

# key: (zh, en)
TEXTS: dict[str, tuple[str, str]] = {
    "voice.heard": ("您说的是：「{said}」对吗？", "Did you say: \"{said}\"?"),
    "voice.yes": ("对，就用这句", "Yes, use that"),
    "voice.again": ("如果不对，请再说一遍，或直接打字回答。", "If not, say it again or type your answer."),
    "lang.choose": ("请选择您想用的语言：", "Choose the language you prefer:"),
    "hotline": ("需要有人帮忙的话，请拨打热线 {phone}（工作日办公时间）。您也可以一直在这里继续办理。",
                "If you would like a person to help, call {phone} (office hours on working days). You can also "
                "carry on here at any time."),
    "hotline.none": ("需要有人帮忙的话，请到您所在街道（镇）的社会救助窗口或社工站咨询。您也可以一直在这里继续办理。",
                     "If you would like a person to help, visit the social assistance desk or social work station "
                     "of your street or town. You can also carry on here at any time."),
    "media.failed": ("这个文件没能收到，可能已经过期。请重新发送一次。",
                     "That file could not be received; it may have expired. Please send it again."),
    "notice.title": ("您的申请有新进展", "News about your application"),
    "notice.open": ("请进入公众号查看并回复", "Open the account to read and reply"),
}

text = Catalogue.from_pairs(TEXTS)
