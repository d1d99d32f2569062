"""The public resource directory (issue 20): a read-only search and resource pages for visitors
without an account, showing only what the organisation marks public; rate-limited and cached so
that crawlers cannot slow the agents down. Off unless ``DIRECTORY_PUBLIC`` is true."""
