package dev.wstap.probe;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code wstap probe --html FILE}: one self-contained page (no file or script from elsewhere): the
 * summary by family, then every case with its verdicts, what was expected and observed, and its
 * frames both ways, filterable by a text box (case id, words, verdicts). A filter in the address's
 * fragment ({@code report.html#FAILED}) is applied when the page opens.
 */
public final class HtmlReport {
    private HtmlReport() {}

    public static void write(Path file, String target, List<CaseRun.Result> results, double seconds) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>wstap probe: " + esc(target) + "</title>\n");
            out.write("<style>body{font:14px/1.4 system-ui,sans-serif;margin:2em}table{border-collapse:collapse}"
                    + "td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}th:first-child,td:first-child{text-align:left}"
                    + ".OK{color:#070}.NON-STRICT,.INFORMATIONAL{color:#960}.UNIMPLEMENTED{color:#666}.FAILED,.WRONG.CODE,.UNCLEAN,.FAILED.BY.CLIENT{color:#b00;font-weight:bold}"
                    + "details{border-top:1px solid #eee;padding:2px 0}summary{cursor:pointer}pre{background:#f6f6f6;padding:4px;margin:2px 0 6px;"
                    + "white-space:pre-wrap}input{font-size:14px;width:30em}</style></head><body>\n");
            out.write("<h1>wstap probe</h1>\n<p>" + esc(target) + ": " + results.size() + " cases in "
                    + String.format(Locale.ROOT, "%.1f", seconds) + " s, " + results.stream().filter(CaseRun.Result::isFailed).count()
                    + " FAILED</p>\n");
            out.write(summary(results));
            out.write("<p><input id=\"filter\" placeholder=\"filter: a case id (5.15), words, or a verdict (FAILED, NON-STRICT)\">"
                    + " <span id=\"shown\"></span></p>\n<div id=\"cases\">\n");
            for (CaseRun.Result r : results) {
                // Verdicts as whole words (failed-by-client is not failed), the id and title as text.
                out.write("<details data-verdicts=\"" + esc((r.behaviour().label() + " " + r.close().label().replace(' ', '-'))
                        .toLowerCase(Locale.ROOT)) + "\" data-text=\"" + esc((r.id() + " " + r.title()).toLowerCase(Locale.ROOT)) + "\"><summary>" + esc(r.id()) + " " + esc(r.title()) + " — <span class=\""
                        + r.behaviour().label() + "\">" + r.behaviour().label() + "</span> / close <span class=\"" + r.close().label() + "\">"
                        + r.close().label() + "</span></summary>\n");
                out.write("<pre>behaviour: " + esc(r.why()) + "\nclose: " + esc(r.closeWhy()) + "\nexpected: " + esc(list(r.expected().ok()))
                        + (r.expected().nonStrict() != null ? "\nor, non-strict: " + esc(list(r.expected().nonStrict())) : "")
                        + "\nobserved: " + esc(list(r.observed())) + "\nclose expected: " + (r.expected().close().isClosedByProbe() ? "by wstap" : "by the server")
                        + ", code " + r.expected().close().codes() + (r.expected().close().isCleanRequired() ? ", clean" : "")
                        + String.format(Locale.ROOT, "\ntime: %.1f ms", r.took().toNanos() / 1e6) + "</pre>\n");
                out.write("<pre>" + esc(String.join("\n", r.sent().stream().map(l -> "→ " + l).toList())) + "</pre>\n");
                out.write("<pre>" + esc(String.join("\n", r.received().stream().map(l -> "← " + l).toList())) + "</pre></details>\n");
            }
            out.write("</div>\n<script>\n"
                    + "const VERDICTS = ['ok', 'non-strict', 'failed', 'informational', 'unimplemented', 'wrong-code', 'unclean', 'failed-by-client'];\n"
                    + "const box = document.getElementById('filter');\n"
                    + "const cases = Array.from(document.querySelectorAll('#cases details'));\n"
                    + "function apply() {\n"
                    + "  const words = box.value.toLowerCase().split(/\\s+/).filter(w => w);\n"
                    + "  let shown = 0;\n"
                    + "  for (const c of cases) {\n"
                    + "    const text = c.dataset.text;\n"
                    + "    const verdicts = c.dataset.verdicts.split(' ');\n"
                    + "    const ok = words.every(w => /^[0-9.]+$/.test(w) ? text.startsWith(w + ' ')\n"
                    + "      : /^[0-9.*]+$/.test(w) ? new RegExp('^' + w.replace(/\\./g, '\\\\.').replace(/\\*/g, '[0-9.]*') + ' ').test(text)\n"
                    + "      : VERDICTS.includes(w) ? verdicts.includes(w) : text.includes(w));\n"
                    + "    c.hidden = !ok;\n"
                    + "    if (ok) shown++;\n"
                    + "  }\n"
                    + "  document.getElementById('shown').textContent = shown + ' of ' + cases.length + ' cases shown';\n"
                    + "}\n"
                    + "box.addEventListener('input', apply);\n"
                    + "if (location.hash.length > 1) box.value = decodeURIComponent(location.hash.slice(1));\n"
                    + "apply();\n"
                    + "</script></body></html>\n");
        }
    }

    private static String summary(List<CaseRun.Result> results) {
        Map<String, Map<CaseRun.Verdict, Integer>> b = new LinkedHashMap<>();
        Map<String, Map<CaseRun.CloseVerdict, Integer>> c = new LinkedHashMap<>();
        for (CaseRun.Result r : results) {
            String f = r.id().split("\\.")[0];
            b.computeIfAbsent(f, k -> new EnumMap<>(CaseRun.Verdict.class)).merge(r.behaviour(), 1, Integer::sum);
            c.computeIfAbsent(f, k -> new EnumMap<>(CaseRun.CloseVerdict.class)).merge(r.close(), 1, Integer::sum);
        }
        StringBuilder out = new StringBuilder("<table><tr><th>family</th>");
        for (CaseRun.Verdict v : CaseRun.Verdict.values()) out.append("<th>").append(v.label()).append("</th>");
        for (CaseRun.CloseVerdict v : CaseRun.CloseVerdict.values()) out.append("<th>close ").append(v.label()).append("</th>");
        out.append("</tr>\n");
        for (String f : b.keySet()) {
            String name = Suite.FAMILIES.stream().filter(x -> x.startsWith(f + " ")).findFirst().orElse(f);
            out.append("<tr><td>").append(esc(name)).append("</td>");
            for (CaseRun.Verdict v : CaseRun.Verdict.values()) out.append("<td>").append(b.get(f).getOrDefault(v, 0)).append("</td>");
            for (CaseRun.CloseVerdict v : CaseRun.CloseVerdict.values()) out.append("<td>").append(c.get(f).getOrDefault(v, 0)).append("</td>");
            out.append("</tr>\n");
        }
        return out.append("</table>\n").toString();
    }

    /** Observations, the first {@link #LISTED} of them: a case of families 9, 12 and 13 has up to a thousand. */
    private static String list(List<Observed> list) {
        if (list.isEmpty()) return "nothing";
        String shown = String.join(", ", list.stream().limit(LISTED).map(Observed::describe).toList());
        return list.size() > LISTED ? shown + ", … " + (list.size() - LISTED) + " more" : shown;
    }

    private static final int LISTED = 20;

    /** Escaped for HTML; control characters (a server's bytes) shown as U+FFFD, which every viewer can take. */
    private static String esc(String s) {
        StringBuilder out = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\n', '\t' -> out.appendCodePoint(c);
                default -> out.appendCodePoint(c < 0x20 || c == 0x7f ? 0xfffd : c);
            }
        });
        return out.toString();
    }
}
