// The operator console page: renders the state that /api/events streams (packages, devices,
// Kaa software and endpoints) and calls the operator API for publish, apply and consent.
import { h, render } from "preact";
import { useEffect, useState } from "preact/hooks";
import htm from "htm";

const html = htm.bind(h);

/** POSTs to the operator API; resolves with the answer, throws its error message. */
async function post(path, body, contentType = "application/json") {
  const response = await fetch(path, { method: "POST", headers: { "Content-Type": contentType }, body });
  const answer = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
  if (!response.ok) throw new Error(answer.error ?? `HTTP ${response.status}`);
  return answer;
}

function Console() {
  const [state, setState] = useState(undefined);
  const [live, setLive] = useState(false);
  useEffect(() => {
    const events = new EventSource("/api/events");
    events.addEventListener("state", (event) => setState(JSON.parse(event.data)));
    events.onopen = () => setLive(true);
    events.onerror = () => setLive(false);
    return () => events.close();
  }, []);
  if (!state) return html`<p>Connecting to otau-sim serve…</p>`;
  return html`
    <header>
      <h1>otau-sim console</h1>
      <span class="live" data-testid="live">${live ? "live" : "reconnecting…"}</span>
    </header>
    <${Packages} packages=${state.packages} />
    <${Devices} devices=${state.devices} packages=${state.packages} />
    <${Kaa} kaa=${state.kaa} devices=${state.devices.filter((d) => d.cloud === "kaa")} />`;
}

function Packages({ packages }) {
  const [error, setError] = useState("");
  const [note, setNote] = useState("");
  async function publish(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const file = form.image.files[0];
    setError("");
    setNote("");
    if (!file) return setError("choose an image file to publish");
    const query = new URLSearchParams({ version: form.version.value, name: form.name.value, description: form.description.value });
    try {
      const published = await post(`/api/packages?${query}`, await file.arrayBuffer(), "application/octet-stream");
      setNote(`published ${published.id}`);
      form.reset();
    } catch (failure) {
      setError(failure.message);
    }
  }
  return html`
    <section data-testid="packages">
      <h2>Murano product packages</h2>
      <table>
        <thead><tr><th>package</th><th>version</th><th>name</th><th>description</th><th>author</th><th>vendor</th><th>size</th><th>sha256</th><th>signed</th></tr></thead>
        <tbody>
          ${packages.length === 0 && html`<tr><td colspan="9">No package_* content item yet: publish one below.</td></tr>`}
          ${packages.map((p) => html`
            <tr data-testid=${`package-${p.id}`}>
              <td><code>${p.id}</code></td><td>${p.version}</td><td>${p.name}</td><td>${p.description}</td><td>${p.author}</td>
              <td>${p.vendor}</td><td>${p.size ?? "?"}</td><td><code title=${p.sha256}>${p.sha256 ? `${p.sha256.slice(0, 12)}…` : "none"}</code></td>
              <td>${p.signed ? "yes" : "no"}</td>
            </tr>`)}
        </tbody>
      </table>
      <form onSubmit=${publish} data-testid="publish-form">
        <label>image <input type="file" name="image" /></label>
        <label>version <input type="text" name="version" /></label>
        <label>name <input type="text" name="name" /></label>
        <label>description <input type="text" name="description" /></label>
        <button type="submit">Publish</button>
      </form>
      ${error && html`<p class="error" role="alert" data-testid="publish-error">${error}</p>`}
      ${note && html`<p class="note" data-testid="publish-note">${note}</p>`}
    </section>`;
}

function Devices({ devices, packages }) {
  const [selected, setSelected] = useState(new Set());
  const [packageId, setPackageId] = useState("");
  const [error, setError] = useState("");
  const [note, setNote] = useState("");
  const chosenPackage = packageId || packages.at(-1)?.id || "";
  function toggle(id) {
    const next = new Set(selected);
    next.has(id) ? next.delete(id) : next.add(id);
    setSelected(next);
  }
  async function apply(event) {
    event.preventDefault();
    setError("");
    setNote("");
    if (!chosenPackage) return setError("no package to apply: publish one first");
    if (selected.size === 0) return setError("select at least one device to apply the package to");
    try {
      const answer = await post("/api/apply", JSON.stringify({ devices: [...selected], packageId: chosenPackage }));
      setNote(`applied to ${answer.applied.join(", ")}`);
    } catch (failure) {
      setError(failure.message);
    }
  }
  return html`
    <section data-testid="devices">
      <h2>Devices</h2>
      <table>
        <thead><tr><th></th><th>device</th><th>transport</th><th>installed</th><th>last report</th><th>progress</th><th>history</th></tr></thead>
        <tbody>
          ${devices.map((d) => html`
            <tr data-testid=${`device-${d.id}`}>
              <td><input type="checkbox" aria-label=${`select ${d.id}`} checked=${selected.has(d.id)} onChange=${() => toggle(d.id)} /></td>
              <td>${d.id}</td>
              <td>${d.transport}</td>
              <td data-testid="installed">${d.installedVersion ?? "unknown"}</td>
              <td><span class=${`status-${(d.lastStatus ?? "").split(" ")[0]}`}>${d.lastStatus ?? "—"}</span> ${d.lastVersion ?? ""}<br /><small>${d.lastMessage ?? ""}</small></td>
              <td>${d.progress !== undefined ? html`<progress max="100" value=${d.progress}></progress> ${d.progress}%` : ""}</td>
              <td><details><summary>${d.history.length} ${d.history.length === 1 ? "report" : "reports"}</summary>
                <ol>${d.history.map((entry) => html`<li><code>${new Date(entry.at).toISOString().slice(11, 23)}</code> ${entry.status} ${entry.version ?? ""} ${entry.message}</li>`)}</ol>
              </details></td>
            </tr>`)}
        </tbody>
      </table>
      <form onSubmit=${apply} data-testid="apply-form">
        <label>package
          <select name="package" value=${chosenPackage} onChange=${(e) => setPackageId(e.currentTarget.value)}>
            ${packages.map((p) => html`<option value=${p.id}>${p.id}</option>`)}
          </select>
        </label>
        <button type="submit">Apply to ${selected.size} selected</button>
      </form>
      ${error && html`<p class="error" role="alert" data-testid="apply-error">${error}</p>`}
      ${note && html`<p class="note" data-testid="apply-note">${note}</p>`}
    </section>`;
}

function Kaa({ kaa, devices }) {
  const [error, setError] = useState("");
  async function consent(endpoint, version) {
    setError("");
    try {
      await post("/api/kaa/consent", JSON.stringify({ endpoint, version }));
    } catch (failure) {
      setError(failure.message);
    }
  }
  return html`
    <section data-testid="kaa">
      <h2>Kaa application ${kaa.application} (tenant ${kaa.tenant}) — consent ${kaa.consentRequired ? "required" : "not required"}</h2>
      <h3>Software versions</h3>
      <table>
        <thead><tr><th>version</th><th>upgradable from</th><th>rollout</th><th>filters (from date)</th><th>consent</th></tr></thead>
        <tbody>
          ${kaa.software.length === 0 && html`<tr><td colspan="5">No software yet.</td></tr>`}
          ${kaa.software.map((s) => html`
            <tr data-testid=${`software-${s.version}`}>
              <td>${s.version}</td><td>${s.upgradableFrom.join(", ") || "fresh endpoints only"}</td><td>${s.rolloutStrategy}</td>
              <td>${s.filters.map((f) => `${f.filterId} (${f.rolloutDate})`).join(", ") || "—"}</td>
              <td>${s.consentRequired === undefined ? "application default" : s.consentRequired ? "required" : "not required"}</td>
            </tr>`)}
        </tbody>
      </table>
      <h3>Endpoints</h3>
      <table>
        <thead><tr><th>endpoint</th><th>applied version</th><th>offered</th><th>consent given for</th><th>grant consent</th></tr></thead>
        <tbody>
          ${devices.map((d) => html`
            <tr data-testid=${`endpoint-${d.id}`}>
              <td>${d.id}</td><td>${d.installedVersion ?? "none reported"}</td><td>${d.offered ?? "—"}</td><td>${d.consents.join(", ") || "—"}</td>
              <td>${kaa.software.filter((s) => !d.consents.includes(s.version)).map((s) => html`
                <button type="button" onClick=${() => consent(d.id, s.version)}>Grant ${s.version}</button> `)}</td>
            </tr>`)}
        </tbody>
      </table>
      ${error && html`<p class="error" role="alert" data-testid="kaa-error">${error}</p>`}
    </section>`;
}

render(html`<${Console} />`, document.getElementById("console"));
