printf '"bell\007" { persist; }\n' >> jail.conf
