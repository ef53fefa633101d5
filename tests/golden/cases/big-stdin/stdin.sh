yes '# a comment line' | head -c 104857600
