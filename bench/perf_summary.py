#!/usr/bin/python3
"""Summarises `perf script -F period,ip,sym,dso --no-inline` output (call graphs, dwarf unwinding)
of a ricochet run, for bench/profile.sh:

  * self cost by module: where the CPU actually was (the sampled frame's library / code area);
  * inclusive cost by pipeline stage (a sample counts for a stage when any frame of its call chain
    is in it): reading, MIME view, format modules, classifier, RE2, charset conversion, JSON output;
  * the top functions by inclusive cost, each counted once per sample, with their module.

  perf script -i perf.data -F period,ip,sym,dso --no-inline | perf_summary.py [--top 40]
"""
import argparse
import collections
import re
import sys

# (group, test on "dso|sym") — first match wins; used for the self cost and the module of a function.
MODULES = [
    ("kernel", lambda d, s: "kernel.kallsyms" in d or d.startswith("[")),
    ("iconv (glibc gconv)", lambda d, s: "/gconv/" in d or re.search(r"gconv|iconv|__gconv", s) is not None),
    ("GMime parsing", lambda d, s: "libgmime" in d),
    ("GLib/GObject (GMime runtime)", lambda d, s: "libglib" in d or "libgobject" in d or "libgio" in d),
    ("RE2", lambda d, s: "libre2" in d or "re2::" in s),
    ("malloc/free", lambda d, s: "libc.so" in d and re.search(r"malloc|free|_int_|unlink_chunk|realloc|calloc|tcache|consolidate", s) is not None),
    ("libc other", lambda d, s: "libc.so" in d),
    ("dynamic loader", lambda d, s: "ld-linux" in d),
    ("libstdc++", lambda d, s: "libstdc++" in d),
    ("JSON output (nlohmann)", lambda d, s: "nlohmann" in s),
    ("ricochet code", lambda d, s: True),
]

# Pipeline stages, by a symbol somewhere in the call chain (inclusive).
STAGES = [
    ("process start-up (before main)", r"^_dl_start|^_dl_init|^_dl_relocate|^__libc_start_main$|^__libc_early_init"),
    ("analyzer::create (GMime init + pattern set compile)", r"ricochet::analyzer::create"),
    ("  classifier::build (RE2::Set compile)", r"ricochet::reason::classifier::build"),
    ("input: io::read_paths / read_stream (excl. analysis)", r"ricochet::io::read_paths"),
    ("analyzer::analyze (all analysis)", r"ricochet::analyzer::analyze"),
    ("  mime::parse (MIME view, GMime + our walk)", r"ricochet::mime::parse\b"),
    ("    GMime parser (g_mime_parser_*)", r"^g_mime_parser_"),
    ("    charset -> UTF-8 (mime::to_utf8, iconv)", r"ricochet::mime::to_utf8|g_mime_iconv|g_mime_charset|^iconv$|__gconv"),
    ("    RFC 2047 header decoding", r"ricochet::mime::decode_header_value|g_mime_utils_header_decode|internet_address_list_parse|_g_mime_utils_header_decode"),
    ("    GObject teardown (g_object_unref)", r"^g_object_unref$"),
    ("  mime::parse_headers (a second GMime parser: rfc822-headers parts, inline originals)", r"ricochet::mime::parse_headers"),
    ("  iconv_open / iconv_close (gconv module lookup, dlopen)", r"^iconv_open$|^iconv_close$"),
    ("  util::ifind (case-insensitive search)", r"ricochet::util::ifind"),
    ("  format modules (mta::*::parse)", r"ricochet::mta::"),
    ("  dsn::parse", r"ricochet::dsn::parse\b"),
    ("  classifier::decide", r"ricochet::reason::classifier::decide"),
    ("    RE2::Set::Match", r"re2::RE2::Set::Match"),
    ("  other RE2 (RE2::PartialMatch etc.)", r"re2::RE2::(PartialMatchN|FullMatchN|FindAndConsumeN|ConsumeN|Replace|GlobalReplace|Match)\b"),
    ("JSON output: io::to_json + dump", r"ricochet::io::to_json|nlohmann.*::dump|nlohmann.*serializer"),
    ("stdio writes (fputs/fwrite)", r"^_IO_|^fputs$|^fwrite$|^__GI__IO"),
]


def module_of(dso, sym):
    for name, test in MODULES:
        if test(dso, sym):
            return name
    return "?"


FRAME = re.compile(r"^\s*([0-9a-f]+)\s+(.*?)\s+\(([^()]*)\)\s*$")


def samples(stream):
    period = 0
    frames = []
    for line in stream:
        if not line.strip():
            if frames:
                yield period, frames
            frames = []
            continue
        if not line.startswith("\t"):  # the sample's header line: its period
            try:
                period = int(line.split()[0])
            except ValueError:
                period = 1
            continue
        m = FRAME.match(line)
        if m:
            sym = re.sub(r"\+0x[0-9a-f]+$", "", m.group(2))
            if sym == "[unknown]":
                sym = "[unknown] " + m.group(3).rsplit("/", 1)[-1]
            frames.append((sym, m.group(3)))
    if frames:
        yield period, frames


def short(sym, width=110):
    sym = re.sub(r"nlohmann::json_abi_v[0-9_]+::", "nlohmann::", sym)
    sym = re.sub(r"std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> >", "std::string", sym)
    sym = re.sub(r"basic_json<std::map, .*?> >", "json", sym)
    return sym if len(sym) <= width else sym[: width - 3] + "..."


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--comm", default="", help="only samples of this command name")
    a = ap.parse_args()

    total = 0
    self_mod = collections.Counter()
    self_fn = collections.Counter()
    incl_fn = collections.Counter()
    fn_mod = {}
    stage = collections.Counter()
    stage_re = [(n, re.compile(r)) for n, r in STAGES]
    for period, frames in samples(sys.stdin):
        total += period
        leaf_sym, leaf_dso = frames[0]
        m = module_of(leaf_dso, leaf_sym)
        self_mod[m] += period
        self_fn[leaf_sym] += period
        seen = set()
        for sym, dso in frames:
            if sym in seen:
                continue
            seen.add(sym)
            incl_fn[sym] += period
            fn_mod.setdefault(sym, module_of(dso, sym))
        for name, rx in stage_re:
            if any(rx.search(sym) for sym, _ in frames):
                stage[name] += period
    if not total:
        print("no samples")
        return 1

    def pct(x):
        return 100.0 * x / total

    print("samples: total weight %d (cpu-clock ns when sampled by time)" % total)
    print()
    print("== self cost by module (where the CPU was) ==")
    for name, v in self_mod.most_common():
        print("  %6.2f%%  %s" % (pct(v), name))
    print()
    print("== inclusive cost by pipeline stage (sample counted when a frame of its chain is in the stage) ==")
    for name, _ in STAGES:
        print("  %6.2f%%  %s" % (pct(stage[name]), name))
    print()
    print("== top functions by inclusive cost ==")
    skip = re.compile(r"^(_start|__libc_start_main|__libc_start_call_main|main|\[unknown\]( |$)|_dl_start_user)")
    n = 0
    for sym, v in incl_fn.most_common():
        if skip.search(sym):
            continue
        print("  %6.2f%%  self %6.2f%%  %-30s %s" % (pct(v), pct(self_fn.get(sym, 0)), fn_mod[sym], short(sym)))
        n += 1
        if n >= a.top:
            break
    print()
    print("== top functions by self cost ==")
    for sym, v in self_fn.most_common(25):
        print("  %6.2f%%  %-30s %s" % (pct(v), fn_mod.get(sym, "?"), short(sym)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
