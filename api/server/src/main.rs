fn main() -> std::process::ExitCode {
    adal_server::cli::main()
}
