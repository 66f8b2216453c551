package dev.levee.internal.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BatchWriterTest {

    @Test
    void aWriteThatFailsEvenWithAnErrorDoesNotKillTheWriter() {
        List<Integer> written = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean failNext = new java.util.concurrent.atomic.AtomicBoolean(true);
        BatchWriter<Integer> writer = new BatchWriter<>("test-writer", 16, Duration.ofMillis(5), batch -> {
            if (failNext.getAndSet(false)) {
                throw new OutOfMemoryError("simulated: the heap was briefly exhausted");
            }
            written.addAll(batch);
        }, () -> { }, () -> { });
        writer.offer(1);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !failNext.get());
        writer.offer(2);
        writer.close(Duration.ofSeconds(5));
        assertThat(written).containsExactly(2); // the failed batch is gone; the writer is not
    }

    @Test
    void closeWritesEverythingOfferedBeforeItThenRunsOnClose() {
        List<Integer> written = new CopyOnWriteArrayList<>();
        CountDownLatch closed = new CountDownLatch(1);
        BatchWriter<Integer> writer = new BatchWriter<>("test-writer", 16, Duration.ofSeconds(60), written::addAll,
                () -> { }, closed::countDown);
        for (int i = 0; i < 10; i++) {
            assertThat(writer.offer(i)).isTrue();
        }
        writer.close(Duration.ofSeconds(5));
        assertThat(written).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(closed.getCount()).isZero();
    }

    /**
     * The race CI once hit: the writer finds the queue empty, and before it looks at the closing
     * flag an item is offered and close() is called. The item must still be written.
     */
    @Test
    void anItemOfferedWhileTheWriterIsIdleIsWrittenWhenCloseFollowsAtOnce() throws Exception {
        List<String> written = new CopyOnWriteArrayList<>();
        CountDownLatch idle = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        BatchWriter<String> writer = new BatchWriter<>("test-writer", 16, Duration.ofSeconds(60), written::addAll,
                () -> {
                    if (idle.getCount() > 0) { // the first empty drain only
                        idle.countDown();
                        await(proceed);
                    }
                }, () -> { });
        assertThat(idle.await(5, TimeUnit.SECONDS)).isTrue(); // the writer has drained nothing and is idle
        assertThat(writer.offer("last words")).isTrue();
        Thread closer = new Thread(() -> writer.close(Duration.ofSeconds(5)));
        closer.start();
        Thread.sleep(100); // close() has set its flag and is waiting for the writer
        proceed.countDown();
        closer.join(10_000);
        assertThat(written).containsExactly("last words");
    }

    @Test
    void aFullQueueRefusesRatherThanBlocks() {
        CountDownLatch release = new CountDownLatch(1);
        BatchWriter<Integer> writer = new BatchWriter<>("test-writer", 2, Duration.ofSeconds(60),
                batch -> await(release), () -> { }, () -> { });
        try {
            int accepted = 0;
            for (int i = 0; i < 10; i++) {
                accepted += writer.offer(i) ? 1 : 0;
            }
            assertThat(accepted).isBetween(2, 3); // the queue's 2, plus one the writer may have taken
        } finally {
            release.countDown();
            writer.close(Duration.ofSeconds(5));
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
