package org.conv4j.spark;

import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.util.TaskCompletionListener;

/**
 * The per-partition function of {@link SparkImageFilter}: {@code binaryFile} rows in, one row per image
 * and kernel out, image after image in input order. The {@link ImagePartition} is made at the first row
 * and closed at the end of the partition, or by the task completion listener when the task fails or is
 * killed first.
 */
final class ImagePartitionMapper implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final SparkImageFilter filter;
    private final String base;
    private final int pathIndex, contentIndex;

    ImagePartitionMapper(SparkImageFilter filter, String base, int pathIndex, int contentIndex) {
        this.filter = filter;
        this.base = base;
        this.pathIndex = pathIndex;
        this.contentIndex = contentIndex;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        return new Iterator<>() {
            private ImagePartition part;
            private Iterator<Row> image = Collections.emptyIterator(); // the rows of the current image

            @Override
            public boolean hasNext() {
                while (!image.hasNext() && rows.hasNext()) {
                    Row row = rows.next();
                    if (part == null) open();
                    image = part.filter(row.getString(pathIndex), row.<byte[]>getAs(contentIndex)).iterator();
                }
                boolean more = image.hasNext();
                if (!more && part != null) part.close();
                return more;
            }

            @Override
            public Row next() {
                if (!hasNext()) throw new NoSuchElementException();
                return image.next();
            }

            private void open() {
                ImagePartition p = new ImagePartition(filter, base);
                TaskContext task = TaskContext.get();
                if (task != null) task.addTaskCompletionListener((TaskCompletionListener) ctx -> p.close());
                part = p;
            }
        };
    }
}
