"""The record sizes ``(T, B, N)`` every benchmark times, defined once for bench_losses and bench_backend."""

SIZES = {
    "small": (25, 32, 10),
    "typical": (100, 128, 10),
    "wide": (100, 128, 100),
    "long": (1000, 64, 10),
}
