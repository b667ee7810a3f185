import init from "{path}/{name}.js";
init({ module_or_path: "{path}/{name}_bg.wasm" });
