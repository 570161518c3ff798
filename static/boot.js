// Loads the app's wasm. Trunk's own loader is an inline script, which the Content-Security-Policy
// forbids; this file is served from 'self' with Trunk's integrity hash instead.
const meta = document.querySelector('meta[name="trunk-app"]');
const { default: init } = await import(meta.dataset.js);
await init({ module_or_path: meta.dataset.wasm });
