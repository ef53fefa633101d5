# 40 files, each including the next: more than 32 nested includes.
i=1
while [ $i -lt 40 ]; do
	echo ".include \"inc$((i + 1)).conf\";" > inc$i.conf
	i=$((i + 1))
done
echo 'exec.clean;' > inc40.conf
