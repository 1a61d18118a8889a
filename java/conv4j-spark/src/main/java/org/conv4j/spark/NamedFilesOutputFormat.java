package org.conv4j.spark;

import java.io.IOException;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.RecordWriter;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.output.FileOutputCommitter;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.mapreduce.lib.output.PathOutputCommitter;

/**
 * Writes each record {@code (name, bytes)} as one file {@code name} (a relative path) under the output
 * directory, through Hadoop's {@link FileOutputCommitter}: a task writes into its attempt's work
 * directory, and only a committed attempt's files are moved to the output, so a failed or killed
 * attempt leaves none and a retried task writes each file exactly once. Names must be unique in a job.
 * The committer is whichever {@link PathOutputCommitter} Hadoop's factory binds to the output's scheme
 * ({@code mapreduce.outputcommitter.factory.scheme.<scheme>}): the classic one by default, S3A's magic
 * committer or the manifest committer on object stores, where the classic one's renames are copies.
 */
public final class NamedFilesOutputFormat extends FileOutputFormat<Text, BytesWritable> {
    @Override
    public RecordWriter<Text, BytesWritable> getRecordWriter(TaskAttemptContext context) throws IOException {
        Path work = ((PathOutputCommitter) getOutputCommitter(context)).getWorkPath();
        FileSystem fs = work.getFileSystem(context.getConfiguration());
        return new RecordWriter<>() {
            @Override
            public void write(Text name, BytesWritable bytes) throws IOException {
                try (FSDataOutputStream out = fs.create(new Path(work, name.toString()), false)) {
                    out.write(bytes.getBytes(), 0, bytes.getLength());
                }
            }

            @Override
            public void close(TaskAttemptContext ctx) {
                // every file is closed as it is written
            }
        };
    }
}
