// The chat page's care layer: 长辈版 (elder mode), read-aloud, and the aids every resident gets (who said
// each message, focus kept clear of the input bar). It watches the message list, so whatever the page adds
// there is decorated the same way. Choices are remembered on the device; nothing here has a time limit.
(function () {
  const root = document.documentElement;
  const CHOICES = ["elder", "bigger", "autoread", "voice"];
  const T = {
    zh: {elder: "大字版 / 长辈版", bigger: "字再大些", autoread: "自动朗读问题", voice: "用粤语朗读",
         help: "找人工 / 打电话", care: "阅读帮助", log: "对话", composer: "回复", read: "朗读",
         bot: "善桥说：", me: "我说：", speechFailed: "暂时无法朗读，请稍后再按「朗读」。",
         speechNone: "这台手机或电脑暂时不能朗读。可以请家人帮忙读，或按上面的「找人工 / 打电话」。",
         more: "展开全文", less: "收起"},
    en: {elder: "Large text / Elder mode", bigger: "Larger still", autoread: "Read questions aloud",
         voice: "Read in Cantonese", help: "Talk to a person / call", care: "Reading help", log: "Conversation",
         composer: "Reply", read: "Read aloud", bot: "Shanqiao says:", me: "You said:",
         speechFailed: "Reading aloud is not available just now; please press Read aloud again later.",
         speechNone: "This phone or computer cannot read aloud just now. Ask someone to read it with you, or use " +
                     "\"Talk to a person / call\" at the top.",
         more: "Show all", less: "Show less"},
  };
  const SPEAKER = '<svg aria-hidden="true" focusable="false" width="18" height="18" viewBox="0 0 24 24" fill="none" ' +
    'stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">' +
    '<path d="M4 9h4l5-4v14l-5-4H4z"/><path d="M16.5 8.5a5 5 0 0 1 0 7"/><path d="M19 6a8.5 8.5 0 0 1 0 12"/></svg>';

  function stored(name) {
    try { return localStorage.getItem("sq." + name) === "1"; } catch (e) { return false; }
  }
  function store(name, value) {
    try { localStorage.setItem("sq." + name, value ? "1" : "0"); } catch (e) { /* private mode: this visit only */ }
  }
  const asked = new URLSearchParams(location.search).get("elder");
  if (asked === "1" || asked === "0") store("elder", asked === "1");
  const on = {};
  CHOICES.forEach(name => { on[name] = stored(name); });
  function apply() {
    root.classList.toggle("elder", on.elder);
    root.classList.toggle("bigger", on.elder && on.bigger);
  }
  apply();  // before the first paint: no flash of small text

  const t = () => T[root.lang === "en" ? "en" : "zh"];
  const speechLang = () => root.lang === "en" ? "en" : (on.voice ? "yue" : "zh");

  // --- read-aloud ---------------------------------------------------------------------------------
  let playing = null;
  let queue = Promise.resolve();
  function words(msg) {
    // what the message says and the answers it offers, without the page's own controls
    let out = "";
    msg.childNodes.forEach(node => {
      if (node.nodeType === Node.TEXT_NODE) out += node.textContent;
      else if (node.classList.contains("care")) return;
      else if (node.classList.contains("options")) {
        const labels = [...node.querySelectorAll("button:not(:disabled)")].map(b => b.textContent);
        if (labels.length) out += "\n" + labels.join("；");
      } else out += node.textContent;
    });
    return out.trim().slice(0, 1000);
  }
  function stop() {
    if (playing) { playing.pause(); playing = null; }
  }
  function say(msg, text) {
    let note = msg.querySelector(".note");
    if (!note) {
      note = document.createElement("span");
      note.className = "note care";
      note.setAttribute("role", "status");
      msg.insertBefore(note, msg.querySelector(".options"));
    }
    note.textContent = text;
  }
  // the browser's own voices, where the server cannot speak (no espeak-ng, or no connection to it)
  const VOICES = {zh: ["zh-cn", "cmn", "zh-tw", "zh"], yue: ["yue", "zh-hk", "zh-mo", "zh"], en: ["en"]};
  function voices() {
    const synth = window.speechSynthesis;
    if (!synth || typeof window.SpeechSynthesisUtterance !== "function") return Promise.resolve([]);
    const now = synth.getVoices();
    if (now.length) return Promise.resolve(now);
    // some browsers list their voices a moment after the page opens
    return new Promise(done => {
      const ready = () => done(synth.getVoices());
      synth.addEventListener("voiceschanged", ready, {once: true});
      setTimeout(ready, 1500);
    });
  }
  async function browserRead(text, lang) {
    const all = await voices();
    const tag = v => String(v.lang || "").toLowerCase().replace("_", "-");
    let voice = null;
    for (const want of VOICES[lang]) { voice = all.find(v => tag(v).startsWith(want)); if (voice) break; }
    if (!voice) return false;
    const synth = window.speechSynthesis;
    synth.cancel();
    const spoken = new SpeechSynthesisUtterance(text);
    spoken.voice = voice;
    spoken.lang = voice.lang;
    spoken.rate = 0.9;
    playing = {pause: () => synth.cancel()};
    const mine = playing;
    await new Promise(done => { spoken.onend = spoken.onerror = done; synth.speak(spoken); });
    if (playing === mine) playing = null;
    return true;
  }
  async function read(msg) {
    stop();
    const text = words(msg), lang = speechLang();
    let url;
    try {
      const res = await fetch("/web/speech", {method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json"}, body: JSON.stringify({text, lang})});
      if (!res.ok) throw new Error("speech " + res.status);
      url = URL.createObjectURL(await res.blob());
    } catch (e) {
      const note = msg.querySelector(".note");
      if (note) note.remove();
      let spoken = false;
      try { spoken = await browserRead(text, lang); } catch (e2) { spoken = false; }
      if (!spoken) say(msg, e.message === "speech 429" ? t().speechFailed : t().speechNone);
      return;
    }
    const note = msg.querySelector(".note");
    if (note) note.remove();
    const audio = new Audio(url);
    playing = audio;
    await new Promise(done => {
      audio.onended = audio.onerror = done;
      audio.play().catch(done);  // a browser that will not play without a tap: the button is still there
    });
    URL.revokeObjectURL(url);
    if (playing === audio) playing = null;
  }

  // --- messages -----------------------------------------------------------------------------------
  // a long message (a pre-screen result) shows its first lines, the rest under 「展开全文」; its words stay
  // on the page for screen readers and for 朗读
  const LONG = 240;
  let folded = 0;
  function fold(msg) {
    const words = document.createElement("div");
    words.className = "words";
    words.id = "words-" + (++folded);
    [...msg.childNodes].forEach(node => words.appendChild(node));
    msg.appendChild(words);
    msg.classList.add("long");
    const more = document.createElement("button");
    more.type = "button";
    more.className = "more care";
    more.setAttribute("aria-controls", words.id);
    const show = open => {
      msg.classList.toggle("open", open);
      more.setAttribute("aria-expanded", String(open));
      more.textContent = open ? t().less : t().more;
    };
    show(false);
    more.onclick = () => show(!msg.classList.contains("open"));
    msg.appendChild(more);
  }
  function decorate(msg) {
    if (msg.dataset.who) return;
    const bot = msg.classList.contains("bot");
    msg.dataset.who = bot ? t().bot : t().me;
    if (!bot) return;
    // only plain text: a link in a hidden part could take focus out of sight
    if (!msg.querySelector("a, .options") && msg.textContent.length > LONG) fold(msg);
    const button = document.createElement("button");
    button.type = "button";
    button.className = "read care";
    button.innerHTML = SPEAKER + "<span></span>";
    button.lastChild.textContent = t().read;
    button.onclick = () => read(msg);
    msg.insertBefore(button, msg.querySelector(".options"));
  }
  // an answer pressed with the keyboard is disabled once the next question comes, and focus would fall back
  // to the top of the page: it goes on to the next question's answers (the same answer when the question is
  // asked again with one more ticked), or to the text field when the question takes typing
  let pressed = null;
  const plain = label => label.replace(/^[✓✔]\s*/, "").trim();
  function refocus(current) {
    const was = pressed;
    pressed = null;
    const active = document.activeElement;
    if (!was || !(active === was || active === document.body || active === null || (active && active.disabled))) return;
    const answers = [...current.querySelectorAll(".options button:not(:disabled)")];
    const before = [...was.parentNode.querySelectorAll("button")];
    const same = answers.length === before.length && answers.every((b, i) => plain(b.textContent) === plain(before[i].textContent));
    (answers[same ? before.indexOf(was) : 0] || document.getElementById("text")).focus();
  }
  function arrived(log, added) {
    added.forEach(decorate);
    const bots = [...log.querySelectorAll(".msg.bot")];
    bots.forEach(m => m.classList.remove("current"));
    // the open question (the one whose answers can still be pressed) stays current when something arrives
    // meanwhile without answers of its own, and the screen is left where the resident is
    const open = bots.filter(m => m.id !== "greeting" && m.querySelector(".options button:not(:disabled)"));
    const current = open.length ? open[open.length - 1] : bots[bots.length - 1];
    if (current) current.classList.add("current");
    if (current && added.includes(current)) {
      // the read buttons made the page longer: the newest message is brought back into sight; in 长辈版 from
      // its first line, one question per screen with its answers under it
      // (a turn of several messages from the first of them, what was filed before its result, unless that
      // would push the question's answers under the input bar; not the conversation shown again after a reload)
      const fresh = added.filter(m => m.classList.contains("bot") && !m.classList.contains("earlier"));
      if (on.elder) {
        (fresh[0] || current).scrollIntoView({block: "start"});
        const bar = document.getElementById("composer").getBoundingClientRect().top;
        if (current.querySelector(".options") && current.getBoundingClientRect().bottom > bar) {
          current.scrollIntoView({block: "start"});
        }
      }
      else window.scrollTo(0, document.body.scrollHeight);
      refocus(current);
    }
    if (on.elder && on.autoread) {
      // a turn brings one to three messages; a longer batch is earlier conversation shown again, of which
      // only the end is news
      added.filter(m => m.classList.contains("bot")).slice(-3).forEach(m => { queue = queue.then(() => read(m)); });
    }
  }

  // --- the switches ---------------------------------------------------------------------------------
  function label() {
    const words = t();
    CHOICES.forEach(name => {
      const button = document.getElementById(name);
      button.textContent = words[name];
      button.setAttribute("aria-pressed", String(on[name]));
      button.hidden = name !== "elder" && (!on.elder || (name === "voice" && root.lang === "en"));
    });
    document.getElementById("help-text").textContent = words.help;
    document.getElementById("care").setAttribute("aria-label", words.care);
    document.getElementById("log").setAttribute("aria-label", words.log);
    document.getElementById("composer").setAttribute("aria-label", words.composer);
  }
  function toggle(name) {
    on[name] = !on[name];
    store(name, on[name]);
    apply();
    label();
    if (name === "autoread" && on.autoread) {
      const current = document.querySelector(".msg.bot.current");
      if (current) read(current);
    }
    if (name === "autoread" && !on.autoread) stop();
  }

  document.addEventListener("DOMContentLoaded", () => {
    const log = document.getElementById("log");
    const form = document.getElementById("composer");
    CHOICES.forEach(name => { document.getElementById(name).onclick = () => toggle(name); });
    label();
    new MutationObserver(label).observe(root, {attributes: true, attributeFilter: ["lang"]});
    arrived(log, [...log.querySelectorAll(".msg")]);
    new MutationObserver(records => {
      const added = records.flatMap(r => [...r.addedNodes]).filter(n => n.nodeType === 1 && n.classList.contains("msg"));
      if (added.length) arrived(log, added);
    }).observe(log, {childList: true});
    // the input bar is fixed at the bottom: the page keeps room for it, and a control that gets focus
    // under it is scrolled up into sight
    new ResizeObserver(() => root.style.setProperty("--bar", form.offsetHeight + "px")).observe(form);
    document.addEventListener("focusin", event => {
      if (form.contains(event.target)) return;
      const hidden = event.target.getBoundingClientRect().bottom - form.getBoundingClientRect().top;
      if (hidden > 0) window.scrollBy(0, hidden + 12);
    });
    form.addEventListener("submit", stop);
    log.addEventListener("click", event => {
      const answer = event.target.closest(".options button");
      if (!answer) return;
      stop();
      pressed = answer;
    });
  });
})();
