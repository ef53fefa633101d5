printf 'web {\n\tpath = "/jails/\000web";\n}\n' > jail.conf
