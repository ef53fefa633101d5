printf 'web {\n\thost.hostname = "caf\351";\n}\n' > jail.conf
