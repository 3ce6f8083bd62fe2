// The phone checkpoint page. Every rule and every verdict's wording is in
// the WebAssembly engine (store/seal's own code): this script only moves
// text between the camera, the engine, the screen and the server.
"use strict";

const API = "/v1/phone/";
const KEY = "thonghanh.kiemtra."; // localStorage: token, lists, checkpoint, settings
const DEFAULT_MAX_AGE_H = 24;
const SAME_CODE_MS = 4000; // the same code held in frame is one scan
const FRAME_EVERY_MS = 120; // without requestVideoFrameCallback
const MIN_FRAME_MS = 50;
const MAX_FRAME_W = 720;

const $ = (id) => document.getElementById(id);
const store = {
  get(k) { try { return JSON.parse(localStorage.getItem(KEY + k)); } catch { return null; } },
  set(k, v) { localStorage.setItem(KEY + k, JSON.stringify(v)); },
  del(k) { localStorage.removeItem(KEY + k); },
};

let engineReady = null;
let listsInfo = null;
let usedLocal = new Set(); // vouchers let in on this phone
let usedRemote = []; // vouchers let in elsewhere, from the last refresh

// ---- the engine ---------------------------------------------------------

async function loadEngine() {
  const go = new Go();
  const resp = await fetch("engine.wasm");
  if (!resp.ok) throw new Error("không tải được bộ kiểm tra (" + resp.status + ")");
  let inst;
  if (WebAssembly.instantiateStreaming) {
    inst = await WebAssembly.instantiateStreaming(resp, go.importObject);
  } else {
    inst = await WebAssembly.instantiate(await resp.arrayBuffer(), go.importObject);
  }
  go.run(inst.instance);
  if (!globalThis.thonghanh) throw new Error("bộ kiểm tra không khởi động được");
}

// openLists hands the stored lists to the engine; a list the root key did
// not sign is refused there, never here.
function openLists(lists) {
  const held = store.get("held") || {};
  const arg = { root: lists.root, trust: lists.trust, revocations: lists.revocations, units: lists.units,
    held_trust: held.trust || 0, held_revocations: held.revocations || 0 };
  const r = JSON.parse(thonghanh.open(JSON.stringify(arg)));
  if (!r.ok) return r.error;
  listsInfo = r.info;
  usedRemote = lists.used_vouchers || [];
  store.set("held", { trust: r.info.trust_sequence, revocations: r.info.revocation_sequence });
  return "";
}

function verify(text) {
  const used = [...usedRemote, ...usedLocal];
  const checkpoint = store.get("checkpoint") || 0;
  return JSON.parse(thonghanh.verify(text, checkpoint, Date.now(), JSON.stringify(used)));
}

// ---- screens --------------------------------------------------------------

function show(id) {
  for (const s of ["login", "place", "check"]) $(s).hidden = s !== id;
}

function fatal(msg) {
  $("loading").hidden = true;
  $("fatal").textContent = msg;
  $("fatal").hidden = false;
}

function unitName(code) {
  const lists = store.get("lists");
  const u = lists && lists.units.find((x) => x.code === code);
  return u ? u.name : String(code);
}

function route() {
  $("loading").hidden = true;
  const phone = store.get("phone");
  if (!store.get("token") || !store.get("lists")) {
    show("login");
    $("who").textContent = "";
    return;
  }
  $("who").textContent = phone ? phone.full_name + " (" + phone.username + ") · " + phone.label : "";
  if (!store.get("checkpoint")) {
    fillUnits();
    show("place");
    return;
  }
  $("place-name").textContent = unitName(store.get("checkpoint"));
  show("check");
  showAge();
}

function fillUnits() {
  const lists = store.get("lists");
  const sel = $("unit");
  sel.textContent = "";
  const admin = lists.units.filter((u) => u.level >= 2);
  const districts = admin.filter((u) => u.level === 2).sort((a, b) => a.name.localeCompare(b.name, "vi"));
  for (const d of districts) {
    const g = document.createElement("optgroup");
    g.label = d.name;
    const all = document.createElement("option");
    all.value = d.code;
    all.textContent = d.name + " (toàn huyện)";
    g.append(all);
    for (const c of admin.filter((u) => u.parent === d.code).sort((a, b) => a.name.localeCompare(b.name, "vi"))) {
      const o = document.createElement("option");
      o.value = c.code;
      o.textContent = c.name;
      g.append(o);
    }
    sel.append(g);
  }
  const phone = store.get("phone");
  if (phone && admin.some((u) => u.code === phone.unit)) sel.value = String(phone.unit);
}

function ageText(ms) {
  const m = Math.floor(ms / 60000);
  if (m < 1) return "vừa xong";
  if (m < 60) return m + " phút trước";
  const h = Math.floor(m / 60);
  if (h < 48) return h + " giờ trước";
  return Math.floor(h / 24) + " ngày trước";
}

// showAge says how old the lists are, and warns when the revocation list
// has not been refreshed within the configured limit: a permit revoked
// since would still show as valid.
function showAge() {
  const fetched = store.get("fetched_at");
  const maxH = store.get("max_age_h") || DEFAULT_MAX_AGE_H;
  $("max-age").value = maxH;
  if (!fetched || !listsInfo) return;
  const age = Date.now() - fetched;
  const when = new Date(fetched).toLocaleString("vi-VN", { timeZone: "Asia/Ho_Chi_Minh" });
  $("lists-age").textContent = "Danh sách tin cậy số " + listsInfo.trust_sequence + " (" + listsInfo.keys + " khóa), danh sách thu hồi số " +
    listsInfo.revocation_sequence + " (" + listsInfo.revoked + " giấy); cập nhật lúc " + when + " (" + ageText(age) + ")" +
    (navigator.onLine ? "" : " · đang ngoại tuyến");
  const old = age > maxH * 3600000;
  $("lists-warn").hidden = !old;
  $("lists-warn").textContent = old ? "Danh sách thu hồi đã cũ hơn " + maxH + " giờ: giấy bị thu hồi gần đây vẫn có thể hiện là hợp lệ. Kết nối mạng để cập nhật." : "";
}

// ---- the verdict ----------------------------------------------------------

let audio = null;

// wakeAudio makes the page's audio context, or resumes it: a phone's
// browser plays sound only from a context a touch started or resumed, and
// a camera scan comes with no touch of its own, so every touch on the page
// calls this too (main).
function wakeAudio() {
  try {
    audio = audio || new (window.AudioContext || window.webkitAudioContext)();
    if (audio.state === "suspended") audio.resume().catch(() => {});
  } catch { audio = null; }
}

// tones plays a verdict's tones: one short high beep for a valid paper,
// two low buzzing ones for any other verdict.
function tones(ok, gain) {
  const beep = (at, freq, len) => {
    const o = audio.createOscillator(), g = audio.createGain();
    o.frequency.value = freq;
    o.type = ok ? "sine" : "square";
    g.gain.value = gain;
    o.connect(g).connect(audio.destination);
    o.start(audio.currentTime + at);
    o.stop(audio.currentTime + at + len);
  };
  if (ok) beep(0, 1400, 0.12);
  else { beep(0, 320, 0.25); beep(0.35, 320, 0.25); }
}

// warmAudio makes the audio context at load and plays both verdicts' tones
// once, silent: the first context and the first tones of a page cost tens
// of milliseconds on a slow phone, which would otherwise fall between the
// first verdict and its paint. A context made with no touch stays
// suspended (silent) until the first touch resumes it (wakeAudio).
function warmAudio() {
  try {
    wakeAudio();
    if (audio) { tones(true, 0); tones(false, 0); }
  } catch { /* no sound on this phone */ }
}

// signal sounds and vibrates a verdict, differently for a valid paper (one
// short high beep, one short buzz) and any other verdict (two low buzzing
// tones, two long buzzes), so the officer need not look to tell them apart.
function signal(ok) {
  try {
    wakeAudio();
    tones(ok, 0.25);
  } catch { /* no sound on this phone: the banner still shows */ }
  if (navigator.vibrate) navigator.vibrate(ok ? 120 : [300, 120, 300]);
}

function render(a) {
  const b = $("banner");
  b.className = "banner " + (a.ok ? "ok" : "bad");
  $("banner-title").textContent = (a.ok ? "✔ " : "✘ ") + a.title;
  $("banner-reason").textContent = a.reason;
  $("unverified").hidden = !a.unverified;
  const dl = $("fields");
  dl.textContent = "";
  for (const line of a.lines || []) {
    const dt = document.createElement("dt"), dd = document.createElement("dd");
    dt.textContent = line.label;
    dd.textContent = line.value;
    if (dl.childElementCount === 0) dd.className = "name";
    dl.append(dt, dd);
  }
  b.dataset.verdict = a.verdict;
}

// afterPaint resolves once the browser has painted what the page shows
// now: a frame's callback runs just before its paint, a task queued from
// it just after. A hidden page paints no frames: then a moment later.
function afterPaint() {
  return new Promise((resolve) => {
    const late = setTimeout(resolve, 200);
    requestAnimationFrame(() => setTimeout(() => { clearTimeout(late); resolve(); }, 0));
  });
}

// check verifies text and shows the verdict. The mark says when the
// verdict was on the screen, for the figure the README reports (how long
// after the camera first saw the code), with how long each step took
// (took: the camera's, from scanLoop, then verify and render). The scan is
// written down only once the verdict is painted: the officer waits for
// the verdict, not for the log.
async function check(text, how, took) {
  let a;
  const t0 = performance.now();
  try {
    a = verify(text);
  } catch (e) {
    // The engine stopped (it cannot come back without a reload): say so
    // rather than show nothing.
    fatal("Bộ kiểm tra bị lỗi (" + e.message + "): tải lại trang.");
    return null;
  }
  if (!a.verdict) {
    fatal(a.error || "bộ kiểm tra chưa sẵn sàng");
    return a;
  }
  const t1 = performance.now();
  render(a);
  const t2 = performance.now();
  performance.mark("thonghanh-verdict", { detail: { verdict: a.verdict, how, took: { ...took, verify: t1 - t0, render: t2 - t1 } } });
  signal(a.ok);
  performance.measure("thonghanh-signal", { start: t2 });
  const p = a.payload || {};
  if (a.ok && p.kind === 2) usedLocal.add(p.serial);
  await afterPaint();
  await logScan({ id: crypto.randomUUID(), at: Math.floor(Date.now() / 1000), serial: p.serial || "", kind: p.kind || 0,
    verdict: a.verdict, checkpoint: store.get("checkpoint") || 0, how: how, sent: 0 });
  if (a.ok && p.kind === 2) await saveUsed();
  upload();
  return a;
}

// ---- scan log (IndexedDB) ---------------------------------------------------

let dbp = null;
function db() {
  dbp = dbp || new Promise((resolve, reject) => {
    const req = indexedDB.open("thonghanh-kiem-tra", 1);
    req.onupgradeneeded = () => {
      req.result.createObjectStore("scans", { keyPath: "id" }).createIndex("sent", "sent");
      req.result.createObjectStore("used");
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
  return dbp;
}

function tx(storeName, mode, fn) {
  return db().then((d) => new Promise((resolve, reject) => {
    const t = d.transaction(storeName, mode);
    const out = fn(t.objectStore(storeName));
    t.oncomplete = () => resolve(out && out.result !== undefined ? out.result : undefined);
    t.onerror = () => reject(t.error);
  }));
}

const logScan = (s) => tx("scans", "readwrite", (os) => os.put(s));
const saveUsed = () => tx("used", "readwrite", (os) => os.put([...usedLocal], "serials"));
const loadUsed = () => tx("used", "readonly", (os) => os.get("serials")).then((v) => { usedLocal = new Set(v || []); });
const pending = () => tx("scans", "readonly", (os) => os.index("sent").getAll(0, 500));

// ---- the server -----------------------------------------------------------

async function api(method, path, body) {
  const headers = { "Content-Type": "application/json" };
  const token = store.get("token");
  if (token) headers.Authorization = "Bearer " + token;
  const resp = await fetch(API + path, { method, headers, body: body ? JSON.stringify(body) : undefined, cache: "no-store" });
  let data = null;
  try { data = await resp.json(); } catch { /* not JSON */ }
  if (resp.status === 401 && token) {
    // A revoked or forgotten phone stops checking: its lists may be why.
    for (const k of ["token", "lists", "phone", "fetched_at"]) store.del(k);
    $("login-error").textContent = (data && data.message) || "điện thoại đã bị đăng xuất";
    $("login-error").hidden = false;
    route();
    throw new Error("unauthorized");
  }
  if (!resp.ok) throw new Error((data && data.message) || "máy chủ trả lời " + resp.status);
  return data;
}

function keepLists(lists) {
  const err = openLists(lists);
  if (err) throw new Error(err);
  store.set("lists", lists);
  store.set("fetched_at", Date.now());
}

async function refresh() {
  if (!store.get("token")) return;
  $("sync-state").textContent = "Đang cập nhật danh sách…";
  try {
    keepLists(await api("GET", "lists"));
    $("sync-state").textContent = "Đã cập nhật danh sách.";
  } catch (e) {
    if (e.message !== "unauthorized") $("sync-state").textContent = "Chưa cập nhật được danh sách (" + (navigator.onLine ? e.message : "không có mạng") + ")";
  }
  showAge();
  upload();
}

let uploading = false;
async function upload() {
  if (uploading || !navigator.onLine || !store.get("token")) return;
  uploading = true;
  try {
    const scans = await pending();
    if (scans.length > 0) {
      await api("POST", "scans", { scans: scans.map(({ id, at, serial, kind, verdict, checkpoint }) => ({ id, at, serial, kind, verdict, checkpoint })) });
      await tx("scans", "readwrite", (os) => { for (const s of scans) os.put({ ...s, sent: 1 }); });
      $("sync-state").textContent = "Đã gửi " + scans.length + " lượt quét về máy chủ.";
    }
  } catch (e) {
    if (e.message !== "unauthorized") $("sync-state").textContent = "Lượt quét sẽ được gửi khi có mạng.";
  } finally {
    uploading = false;
  }
}

async function login(ev) {
  ev.preventDefault();
  $("login-error").hidden = true;
  $("login-button").disabled = true;
  try {
    const r = await api("POST", "login", { username: $("username").value.trim(), password: $("password").value, label: $("label").value.trim() });
    store.set("held", {}); // another province's server would have other sequences
    keepLists(r.lists);
    store.set("token", r.token);
    store.set("phone", r.phone);
    $("password").value = "";
    route();
  } catch (e) {
    $("login-error").textContent = navigator.onLine ? e.message : "Cần có mạng để đăng nhập lần đầu.";
    $("login-error").hidden = false;
  } finally {
    $("login-button").disabled = false;
  }
}

// ---- the camera -----------------------------------------------------------

let lastText = "", lastAt = 0, scanning = false;

function cameraMessage(e) {
  if (!window.isSecureContext) return "Trang phải mở bằng HTTPS mới dùng được camera: nhập mã bằng tay.";
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return "Trình duyệt này không dùng được camera: nhập mã bằng tay.";
  switch (e && e.name) {
    case "NotAllowedError": case "SecurityError":
      return "Chưa được phép dùng camera: cho phép camera cho trang này trong cài đặt trình duyệt, hoặc nhập mã bằng tay.";
    case "NotFoundError": case "OverconstrainedError":
      return "Máy không có camera: nhập mã bằng tay.";
    case "NotReadableError":
      return "Camera đang bị ứng dụng khác dùng: đóng ứng dụng đó rồi bật lại.";
  }
  return "Không bật được camera (" + ((e && e.message) || e) + "): nhập mã bằng tay.";
}

async function startCamera() {
  $("camera-msg").textContent = "";
  if (!window.isSecureContext || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    $("camera-msg").textContent = cameraMessage(null);
    return;
  }
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 } }, audio: false });
  } catch (e) {
    $("camera-msg").textContent = cameraMessage(e);
    return;
  }
  const video = $("video");
  video.srcObject = stream;
  video.classList.add("live");
  await video.play().catch(() => {});
  $("camera-start").hidden = true;
  scanning = true;
  scanLoop(video);
}

async function detector() {
  if (!("BarcodeDetector" in window)) return null;
  try {
    const formats = await BarcodeDetector.getSupportedFormats();
    if (!formats.includes("qr_code")) return null;
    return new BarcodeDetector({ formats: ["qr_code"] });
  } catch { return null; }
}

// readLuma copies the camera's current frame into frameBytes where the
// browser hands out video frames (WebCodecs), and says where its luminance
// plane is: the camera's own Y, with no conversion to colour on the way to
// the decoder. null for a frame in another format.
const YUV = new Set(["I420", "I420A", "I422", "I444", "NV12"]);
let frameBytes = null;
async function readLuma(video) {
  const f = new VideoFrame(video);
  try {
    if (!YUV.has(f.format)) return null;
    const size = f.allocationSize();
    if (!frameBytes || frameBytes.length < size) frameBytes = new Uint8Array(size);
    const layout = await f.copyTo(frameBytes);
    return { w: f.visibleRect.width, h: f.visibleRect.height, offset: layout[0].offset, stride: layout[0].stride };
  } finally {
    f.close();
  }
}

// scanLoop reads every new camera frame as soon as the last one is done
// (requestVideoFrameCallback: no frame read twice, none waited for), at
// most one every MIN_FRAME_MS so a fast detector leaves the phone some
// rest. It asks for the next frame before reading this one: a frame the
// camera shows while this one is decoded (the code coming into view) is
// read the moment the decoder is free, not one frame later. The verdict is
// on the screen before the scan is written down, and the next frame does
// not wait for that.
async function scanLoop(video) {
  const bd = await detector();
  document.body.dataset.decoder = bd ? "BarcodeDetector" : "engine";
  const canvas = document.createElement("canvas");
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  let started = 0, byFrame = !bd && typeof VideoFrame === "function";
  let busy = false, shown = null; // a frame shown while busy: its metadata
  document.body.dataset.frames = byFrame ? "VideoFrame" : "canvas";
  const next = () => {
    if (!scanning) return;
    if (video.requestVideoFrameCallback) video.requestVideoFrameCallback(tick);
    else setTimeout(tick, FRAME_EVERY_MS);
  };
  const tick = async (_, md) => {
    if (!scanning) return;
    if (busy) { shown = md || {}; return; }
    if (performance.now() - started < MIN_FRAME_MS) { next(); return; }
    busy = true;
    next();
    started = performance.now();
    // How long the frame waited for this tick, and how long reading it
    // (grab) and decoding it took: the verdict's mark keeps them.
    const took = { wait: md && md.captureTime ? started - md.captureTime : null };
    let text = "";
    try {
      if (video.readyState >= 2 && video.videoWidth > 0) {
        if (bd) {
          const codes = await bd.detect(video);
          if (codes.length > 0) text = codes[0].rawValue;
        } else if (byFrame) {
          const y = await readLuma(video);
          const grabbed = performance.now();
          took.grab = grabbed - started;
          if (y === null) byFrame = false; // not a YUV frame: the canvas from now on
          else text = thonghanh.decodeLuma(frameBytes, y.w, y.h, y.offset, y.stride);
          took.decode = performance.now() - grabbed;
          document.body.dataset.frames = byFrame ? "VideoFrame" : "canvas";
        } else {
          const scale = Math.min(1, MAX_FRAME_W / video.videoWidth);
          const w = Math.round(video.videoWidth * scale), h = Math.round(video.videoHeight * scale);
          // Resizing a canvas allocates it anew: only when the camera's
          // size changes.
          if (canvas.width !== w || canvas.height !== h) { canvas.width = w; canvas.height = h; }
          ctx.drawImage(video, 0, 0, w, h);
          const img = ctx.getImageData(0, 0, w, h);
          const grabbed = performance.now();
          took.grab = grabbed - started;
          text = thonghanh.decode(img.data, w, h);
          took.decode = performance.now() - grabbed;
        }
      }
    } catch (e) {
      // A frame not there yet: the next one will do. Video frames this
      // browser cannot copy: the canvas from now on.
      if (byFrame && e && e.name !== "InvalidStateError") byFrame = false;
    }
    const now = Date.now();
    if (text && (text !== lastText || now - lastAt > SAME_CODE_MS)) {
      lastText = text;
      check(text, "camera", took).catch((e) => { $("sync-state").textContent = "Không ghi được lượt quét trên máy này (" + e.message + ")"; });
    }
    if (text) lastAt = now;
    busy = false;
    if (shown) {
      const md = shown;
      shown = null;
      tick(0, md);
    }
  };
  next();
}

// ---- start ----------------------------------------------------------------

async function main() {
  if ("serviceWorker" in navigator) navigator.serviceWorker.register("sw.js", { scope: "./" }).catch(() => {});
  for (const ev of ["pointerdown", "keydown"]) document.addEventListener(ev, wakeAudio, { passive: true });
  $("login-form").addEventListener("submit", login);
  $("place-save").addEventListener("click", () => {
    store.set("checkpoint", Number($("unit").value));
    route();
    if (!scanning) startCamera();
  });
  $("change-place").addEventListener("click", () => { fillUnits(); show("place"); });
  $("refresh").addEventListener("click", refresh);
  $("camera-start").addEventListener("click", startCamera);
  $("max-age").addEventListener("change", () => { const v = Number($("max-age").value); if (v >= 1) store.set("max_age_h", v); showAge(); });
  $("logout").addEventListener("click", () => { for (const k of ["token", "lists", "phone", "fetched_at", "checkpoint"]) store.del(k); scanning = false; route(); });
  $("manual-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    // A pasted code often carries a line ending; nothing else is changed.
    const text = $("manual").value.replace(/[\r\n]+$/, "");
    if (text) check(text, "manual");
  });
  window.addEventListener("online", () => { refresh(); });
  window.addEventListener("offline", showAge);
  setInterval(showAge, 60000);
  try {
    await loadEngine();
    await loadUsed().catch(() => {});
  } catch (e) {
    fatal("Không nạp được bộ kiểm tra: " + e.message);
    return;
  }
  const lists = store.get("lists");
  if (lists) {
    const err = openLists(lists);
    if (err) {
      fatal("Danh sách trên máy không dùng được: " + err + ". Đăng nhập lại khi có mạng.");
      store.del("lists");
    }
  }
  route();
  document.body.dataset.ready = "1";
  // The engine's code is compiled as it first runs: run a whole scan once
  // now (a real permit's code in a camera-size frame, read and verified),
  // and the verdict's tones silently, so the first code the camera sees is
  // not the one that waits for that.
  setTimeout(() => {
    try { thonghanh.warm(); } catch { /* a warm-up only */ }
    warmAudio();
  }, 0);
  if (store.get("token")) {
    if (navigator.onLine) refresh();
    if (store.get("checkpoint")) startCamera();
  }
}

main();
