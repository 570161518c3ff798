// Loads the second wasm module (crates/lazy-views: the playground and sign-in views) the first
// time one of its views opens, so the first page loads only the shell and the pattern tester.
// Its file names are in <meta name="eventyard-lazy">, which scripts/build-lazy-views.sh fills in
// at build time; they are resolved against the page, so the app works under any sub-path.
let loading;

function load() {
  if (!loading) {
    const meta = document.querySelector('meta[name="eventyard-lazy"]');
    const js = meta?.dataset.js;
    const wasm = meta?.dataset.wasm;
    if (!js || !wasm) {
      return Promise.reject(new Error('this build has no second module (scripts/build-lazy-views.sh did not run)'));
    }
    loading = import(new URL(js, document.baseURI).href).then(async (module) => {
      await module.default({ module_or_path: new URL(wasm, document.baseURI) });
      return module;
    });
    // A failed load (the network dropped) is tried afresh next time, not remembered.
    loading.catch(() => { loading = undefined; });
  }
  return loading;
}

export async function mount_lazy_view(name, root) {
  const module = await load();
  const mounted = module.mount(name, root);
  if (!mounted) {
    throw new Error(`the second module has no view named "${name}"`);
  }
  return mounted;
}

export function unmount_lazy_view(mounted) {
  mounted.unmount();
}
