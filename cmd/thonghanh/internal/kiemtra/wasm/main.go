//go:build js && wasm

// Command wasm is the phone checkpoint page's engine: package offline
// compiled to WebAssembly (go generate in ../kiemtra.go builds it). It puts
// one object on the page, globalThis.thonghanh, with functions that
// take and return JSON text, so the page's script holds no rule and no
// verdict wording of its own:
//
//	thonghanh.open(listsJSON)                       → {"ok":true,"info":{…}} | {"ok":false,"error":"…"}
//	thonghanh.verify(text, checkpoint, nowMs, usedJSON) → an offline.Answer
//	thonghanh.decode(rgba Uint8ClampedArray, w, h)  → the QR text, or ""
//	thonghanh.decodeLuma(bytes Uint8Array, w, h, offset, stride) → the QR text, or ""
//	    (a VideoFrame's bytes: its Y plane at offset, stride bytes a row)
//	thonghanh.warm()                                → true, once a whole made-up scan has run (offline.Warm)
//
// Its room is the JavaScript glue only.
package main

import (
	"encoding/json"
	"runtime"
	"runtime/debug"
	"syscall/js"
	"time"

	"thonghanh/cmd/thonghanh/internal/kiemtra/offline"
)

var (
	verifier *offline.Verifier
	decoder  offline.Decoder
	frame    []byte // the last frame's bytes, reused
)

func reply(v any) any {
	b, _ := json.Marshal(v)
	return string(b)
}

func open(_ js.Value, args []js.Value) any {
	var l offline.Lists
	if len(args) != 1 {
		return reply(map[string]any{"ok": false, "error": "thiếu danh sách"})
	}
	if err := json.Unmarshal([]byte(args[0].String()), &l); err != nil {
		return reply(map[string]any{"ok": false, "error": "danh sách không đọc được: " + err.Error()})
	}
	v, err := offline.Open(l)
	if err != nil {
		return reply(map[string]any{"ok": false, "error": err.Error()})
	}
	verifier = v
	return reply(map[string]any{"ok": true, "info": v.Info()})
}

func verify(_ js.Value, args []js.Value) any {
	if verifier == nil || len(args) != 4 {
		return reply(map[string]any{"verdict": "", "error": "chưa nạp danh sách"})
	}
	var used []string
	if s := args[3].String(); s != "" {
		json.Unmarshal([]byte(s), &used)
	}
	now := time.UnixMilli(int64(args[2].Float()))
	return reply(verifier.Verify(args[0].String(), uint32(args[1].Int()), now, used))
}

func decode(_ js.Value, args []js.Value) any {
	if len(args) != 3 {
		return ""
	}
	w, h := args[1].Int(), args[2].Int()
	n := args[0].Get("length").Int()
	if w <= 0 || h <= 0 || n != w*h*4 || n > offline.MaxFramePixels*4 {
		return ""
	}
	if cap(frame) < n {
		frame = make([]byte, n)
	}
	buf := frame[:n]
	js.CopyBytesToGo(buf, args[0])
	text, err := decoder.Decode(buf, w, h)
	if err != nil {
		return ""
	}
	return text
}

func decodeLuma(_ js.Value, args []js.Value) any {
	if len(args) != 5 {
		return ""
	}
	w, h, offset, stride := args[1].Int(), args[2].Int(), args[3].Int(), args[4].Int()
	if w <= 0 || h <= 0 || stride < w || offset < 0 || w*h > offline.MaxFramePixels {
		return ""
	}
	n := stride*(h-1) + w
	if offset+n > args[0].Get("length").Int() {
		return ""
	}
	if cap(frame) < n {
		frame = make([]byte, n)
	}
	buf := frame[:n]
	// Only the Y plane crosses into Go: the colour planes are not needed.
	js.CopyBytesToGo(buf, args[0].Call("subarray", offset, offset+n))
	text, err := decoder.DecodeLuma(buf, w, h, stride)
	if err != nil {
		return ""
	}
	return text
}

// warm runs a whole camera scan once on made-up input (offline.Warm: bare
// paper, then a real permit's code in a frame-size picture, read and
// verified with lists of its own, signature and all) through the very
// calls the page makes, replies included: WebAssembly is compiled as it
// first runs, the heap grows on the first large frame and ed25519 builds
// its tables on first use, so without this the first code the camera sees
// waits for all of it. The page's own lists are put back after, and the
// warm-up's garbage collected.
func warm(_ js.Value, _ []js.Value) any {
	wm := offline.NewWarm()
	buf := js.Global().Get("Uint8Array").New(len(wm.Frame))
	args := []js.Value{buf, js.ValueOf(wm.Width), js.ValueOf(wm.Height), js.ValueOf(0), js.ValueOf(wm.Width)}
	js.CopyBytesToJS(buf, wm.Paper)
	decodeLuma(js.Undefined(), args)
	js.CopyBytesToJS(buf, wm.Frame)
	text, _ := decodeLuma(js.Undefined(), args).(string)
	v, err := offline.Open(wm.Lists)
	if err != nil {
		return false
	}
	held := verifier
	verifier = v
	answer := verify(js.Undefined(), []js.Value{js.ValueOf(text), js.ValueOf(int(wm.Checkpoint)), js.ValueOf(float64(wm.At.UnixMilli())),
		js.ValueOf(`["28249-0-0000-000000"]`)})
	verifier = held
	var a offline.Answer
	json.Unmarshal([]byte(answer.(string)), &a)
	// The warm-up's frames are garbage now: collected here, not in the
	// middle of the first scan.
	runtime.GC()
	return text == wm.Text && a.OK
}

func main() {
	// Fewer, later collections: each one stops the page, and a camera
	// frame's garbage is a few hundred kilobytes.
	debug.SetGCPercent(400)
	js.Global().Set("thonghanh", js.ValueOf(map[string]any{
		"open":       js.FuncOf(open),
		"verify":     js.FuncOf(verify),
		"decode":     js.FuncOf(decode),
		"decodeLuma": js.FuncOf(decodeLuma),
		"warm":       js.FuncOf(warm),
	}))
	select {}
}
