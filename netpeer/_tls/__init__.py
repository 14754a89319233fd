"""Sans-I/O TLS core over pyOpenSSL memory BIOs. Never touches a socket."""
