# A FIFO nobody writes to: opening it for reading would wait forever.
mkfifo fifo
