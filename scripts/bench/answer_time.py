"""Times `cchc indicators --period P --json` for each period given, whole process, with a
wall clock finer than /usr/bin/time's hundredths: each period is asked REPEAT times and its
median kept. Prints `seconds=<sum of the medians> peak_kb=<largest resident set>`."""
import os, statistics, subprocess, sys, time

binary, repeat, periods = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
total, peak_kb = 0.0, 0
for p in periods:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        child = subprocess.Popen([binary, 'indicators', '--period', p, '--json'],
                                 stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
        times.append(time.perf_counter() - start)
        if status != 0:
            sys.exit(f"cchc indicators --period {p} failed ({status})")
        peak_kb = max(peak_kb, usage.ru_maxrss)
    total += statistics.median(times)
print(f"seconds={total:.4f} peak_kb={peak_kb}")
