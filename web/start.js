import init from "/{portal}/{portal}.js";
init({ module_or_path: "/{portal}/{portal}_bg.wasm" });
