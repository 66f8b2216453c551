package dev.levee.internal.routing;

import dev.levee.ToolCall;
import dev.levee.ToolCallDelta;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/** Builds whole tool calls from a stream's pieces, by index: id and name from the first, arguments appended. */
final class ToolCallAssembler {
    private final TreeMap<Integer, String[]> calls = new TreeMap<>();

    void add(List<ToolCallDelta> deltas) {
        for (ToolCallDelta d : deltas) {
            String[] call = calls.computeIfAbsent(d.index(), i -> new String[] {null, null, ""});
            if (d.id() != null) {
                call[0] = d.id();
            }
            if (d.name() != null) {
                call[1] = call[1] == null ? d.name() : call[1] + d.name();
            }
            call[2] = call[2] + d.arguments();
        }
    }

    boolean isEmpty() {
        return calls.isEmpty();
    }

    List<ToolCall> calls() {
        List<ToolCall> out = new ArrayList<>(calls.size());
        calls.forEach((index, c) -> out.add(new ToolCall(c[0] == null ? "call_" + index : c[0],
                c[1] == null ? "" : c[1], c[2])));
        return out;
    }
}
