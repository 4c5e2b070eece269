// Live latent sliders on the website: the chapter's generators and the classifier run in the
// reader's browser (onnxruntime-web, WebAssembly, one thread), decoding while a slider is
// dragged.  Each widget is a <div class="gae-live"> written by gae_lib.widgets.live with its
// configuration (ONNX files, start codes, principal directions) in a JSON <script>.
// window.gaeLive exposes the widgets and their frame times (used by the tests and make bench).
(function () {
  "use strict";
  const live = { widgets: [], frameTimes: [], errors: [] };
  window.gaeLive = live;

  function contentRoot() {
    const root = document.documentElement.dataset.content_root;
    if (root !== undefined) return root;
    return (window.DOCUMENTATION_OPTIONS && window.DOCUMENTATION_OPTIONS.URL_ROOT) || "./";
  }

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = src;
      s.onload = resolve;
      s.onerror = () => reject(new Error("could not load " + src));
      document.head.appendChild(s);
    });
  }

  let runtime = null;
  function onnxRuntime() {
    if (!runtime) {
      runtime = (async () => {
        if (typeof WebAssembly !== "object") throw new Error("this browser has no WebAssembly");
        if (location.protocol === "file:") throw new Error("the page was opened from disk");
        // Absolute: onnxruntime-web resolves a relative wasmPaths against its own script.
        const folder = new URL(contentRoot() + "_static/onnxruntime-web/", location.href).href;
        await loadScript(folder + "ort.wasm.min.js");
        window.ort.env.wasm.numThreads = 1;     // no SharedArrayBuffer, no special headers
        window.ort.env.wasm.wasmPaths = folder;
        window.ort.env.logLevel = "error";
        return window.ort;
      })();
    }
    return runtime;
  }

  function floats(base64) {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return new Float32Array(bytes.buffer);
  }

  function element(tag, attrs, parent, text) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
    if (text !== undefined) el.textContent = text;
    if (parent) parent.appendChild(el);
    return el;
  }

  class LiveSliders {
    constructor(host, config) {
      this.host = host;
      this.config = config;
      this.sessions = {};
      this.busy = false;
      this.pending = false;
      this.models = {};
      for (const m of config.models) {
        const d = m.latent_dim;
        const rows = (b64) => {
          const all = floats(b64);
          return Array.from({ length: all.length / d }, (_, i) => all.subarray(i * d, (i + 1) * d));
        };
        this.models[m.label] = { ...m, digits: rows(m.digit_codes), priors: rows(m.prior_codes),
                                 directions: rows(m.directions), scales: floats(m.scales) };
      }
      this.build();
      this.ready = this.start();
    }

    build() {
      const cfg = this.config;
      const box = element("div", { class: "gae-live-box" }, this.host);
      const controls = element("div", { class: "gae-live-controls" }, box);
      const row = (label) => {
        const r = element("label", { class: "gae-live-row" }, controls);
        element("span", {}, r, label);
        return r;
      };
      this.model = element("select", { "data-role": "model" }, row("model"));
      for (const m of cfg.models) element("option", { value: m.label }, this.model, m.label);
      this.kind = element("select", { "data-role": "start" }, row("start"));
      element("option", { value: "digits" }, this.kind, "encoded test digit");
      element("option", { value: "priors" }, this.kind, "prior sample");
      this.index = element("input", { type: "range", min: 0, max: cfg.n_starts - 1, step: 1,
                                       value: 0, "data-role": "index" }, row("digit / sample"));
      this.offsets = [];
      for (let i = 0; i < cfg.n_directions; i++) {
        const r = row("direction " + (i + 1));
        const input = element("input", { type: "range", min: -cfg.range, max: cfg.range,
                                         step: cfg.step, value: 0,
                                         "data-role": "direction-" + (i + 1) }, r);
        const shown = element("output", {}, r, "+0.00 sd");
        input.addEventListener("input", () => {
          shown.textContent = (input.value >= 0 ? "+" : "") + Number(input.value).toFixed(2) + " sd";
        });
        this.offsets.push(input);
      }
      const picture = element("div", { class: "gae-live-picture" }, box);
      element("div", { class: "gae-live-title" }, picture, "G(z)");
      this.canvas = element("canvas", { width: 168, height: 168, "data-role": "image" }, picture);
      const bars = element("div", { class: "gae-live-bars" }, box);
      element("div", { class: "gae-live-title" }, bars, "classifier");
      this.bars = [];
      for (let c = 0; c < 10; c++) {
        const r = element("div", { class: "gae-live-bar" }, bars);
        element("span", {}, r, String(c));
        const track = element("div", { class: "gae-live-track" }, r);
        this.bars.push(element("div", { class: "gae-live-fill", "data-class": c }, track));
      }
      this.status = element("p", { class: "gae-live-status" }, this.host, "loading the models ...");
      for (const input of [this.model, this.kind, this.index, ...this.offsets]) {
        input.addEventListener("input", () => this.request());
      }
    }

    async session(url) {
      if (!this.sessions[url]) {
        const ort = await onnxRuntime();
        this.sessions[url] = ort.InferenceSession.create(contentRoot() + url,
          { executionProviders: ["wasm"], graphOptimizationLevel: "all" });
      }
      return this.sessions[url];
    }

    async start() {
      try {
        await this.session(this.config.classifier);
        await this.session(this.models[this.model.value].generator);
        this.host.classList.add("gae-live-ready");
        this.host.querySelector(".gae-live-note").hidden = true;
        await this.frame();
      } catch (err) {
        live.errors.push(String(err));
        this.host.classList.add("gae-live-failed");
        this.status.textContent = "The live sliders could not start (" + err.message + "). " +
          "They need the website served over http: run `make serve` and open the address it " +
          "prints. The precomputed figure below works without it.";
        throw err;
      }
    }

    code() {
      const m = this.models[this.model.value];
      const start = m[this.kind.value][Number(this.index.value)];
      const z = Float32Array.from(start);
      this.offsets.forEach((input, i) => {
        const shift = Number(input.value) * m.scales[i];
        const dir = m.directions[i];
        for (let j = 0; j < z.length; j++) z[j] += shift * dir[j];
      });
      if (m.clip_to_cube) for (let j = 0; j < z.length; j++) z[j] = Math.max(-1, Math.min(1, z[j]));
      return z;
    }

    // G(z) for the codes of one model, as plain arrays: what the tests compare with torch.
    async decode(label, codes) {
      const m = this.models[label];
      const ort = await onnxRuntime();
      const flat = Float32Array.from(codes.flat());
      const out = await (await this.session(m.generator)).run(
        { z: new ort.Tensor("float32", flat, [codes.length, m.latent_dim]) });
      return Array.from(out.image.data);
    }

    request() {
      if (this.busy) { this.pending = true; return; }
      this.frame();
    }

    async frame() {
      this.busy = true;
      const t0 = performance.now();
      try {
        const ort = await onnxRuntime();
        const m = this.models[this.model.value];
        const generator = await this.session(m.generator);
        const image = (await generator.run(
          { z: new ort.Tensor("float32", this.code(), [1, m.latent_dim]) })).image;
        const classifier = await this.session(this.config.classifier);
        const logits = (await classifier.run({ image: image })).logits.data;
        this.draw(image.data, image.dims[1]);
        this.probabilities(logits);
        const ms = performance.now() - t0;
        live.frameTimes.push(ms);
        this.status.textContent = "Running in your browser (onnxruntime-web, WebAssembly): " +
          ms.toFixed(1) + " ms for this frame.";
        this.host.dataset.frames = String(Number(this.host.dataset.frames || 0) + 1);
      } catch (err) {
        live.errors.push(String(err));
        this.status.textContent = "The model failed in this browser: " + err.message;
      } finally {
        this.busy = false;
        if (this.pending) { this.pending = false; this.frame(); }
      }
    }

    draw(pixels, channels) {
      const side = 28, n = side * side;
      const small = new ImageData(side, side);
      for (let i = 0; i < n; i++) {
        for (let c = 0; c < 3; c++) {
          const v = pixels[(channels === 3 ? c : 0) * n + i];
          small.data[4 * i + c] = Math.round(Math.max(0, Math.min(1, (v + 1) / 2)) * 255);
        }
        small.data[4 * i + 3] = 255;
      }
      const scratch = document.createElement("canvas");
      scratch.width = scratch.height = side;
      scratch.getContext("2d").putImageData(small, 0, 0);
      const ctx = this.canvas.getContext("2d");
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(scratch, 0, 0, this.canvas.width, this.canvas.height);
    }

    probabilities(logits) {
      const top = Math.max(...logits);
      const e = Array.from(logits, (v) => Math.exp(v - top));
      const sum = e.reduce((a, b) => a + b, 0);
      const p = e.map((v) => v / sum);
      const best = p.indexOf(Math.max(...p));
      this.bars.forEach((bar, c) => {
        bar.style.width = (100 * p[c]).toFixed(1) + "%";
        bar.dataset.p = p[c].toFixed(4);
        bar.classList.toggle("gae-live-best", c === best);
      });
    }
  }

  function startAll() {
    for (const host of document.querySelectorAll("div.gae-live")) {
      if (host.dataset.started) continue;
      host.dataset.started = "1";
      const config = JSON.parse(host.querySelector("script.gae-live-config").textContent);
      const widget = new LiveSliders(host, config);
      widget.ready.catch(() => {});
      live.widgets.push(widget);
    }
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startAll);
  else startAll();
})();
