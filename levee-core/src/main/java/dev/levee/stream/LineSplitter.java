package dev.levee.stream;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.parsetools.RecordParser;

/**
 * Splits a byte stream into UTF-8 lines across TCP chunk boundaries, accepting {@code \n} and
 * {@code \r\n}, and refusing a line longer than {@code maxLineBytes} (an upstream must not make
 * us buffer without bound).
 */
public final class LineSplitter implements Handler<Buffer> {
    private final RecordParser parser;

    public LineSplitter(int maxLineBytes, Handler<String> lineHandler) {
        this.parser = RecordParser.newDelimited("\n", record -> {
            int len = record.length();
            if (len > 0 && record.getByte(len - 1) == '\r') {
                len--;
            }
            lineHandler.handle(len == 0 ? "" : record.getString(0, len, "UTF-8"));
        });
        parser.maxRecordSize(maxLineBytes);
    }

    @Override
    public void handle(Buffer chunk) {
        parser.handle(chunk);
    }
}
