fn main() -> std::process::ExitCode {
    adal_api::cli::main()
}
