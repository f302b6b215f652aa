"""The warm build server: a background process of the user's own that keeps WeasyPrint,
the fonts and the templates loaded, so that `publish build` hands it the command instead
of paying for those imports on every run (as Gradle's daemon does for the JVM).

`client` is all the command line imports (sockets and hashes, no renderer); `server` is the
background process, which forks a child per build with the caller's terminal, folder and
environment (started as `python -m publish.build_server`, which hands it the command line);
`command` is `publish daemon start|status|stop`.
"""
