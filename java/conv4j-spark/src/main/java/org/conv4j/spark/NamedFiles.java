package org.conv4j.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.Text;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/** Writes a Dataset's (name, bytes) columns as one file per row, committed (see {@link NamedFilesOutputFormat}). */
public final class NamedFiles {
    private NamedFiles() {
    }

    /**
     * Replaces directory {@code dir} by the files of {@code rows}: column {@code nameCol} (string, a
     * relative path, unique) names each file and {@code bytesCol} (binary) holds its content; rows with a
     * null name or content are skipped. Like Spark's overwrite mode, the old directory is deleted first.
     */
    public static void write(Dataset<Row> rows, String nameCol, String bytesCol, String dir) {
        int name = rows.schema().fieldIndex(nameCol), bytes = rows.schema().fieldIndex(bytesCol);
        Configuration conf = rows.sparkSession().sparkContext().hadoopConfiguration();
        try {
            Path out = new Path(dir);
            FileSystem fs = out.getFileSystem(conf);
            if (fs.exists(out) && !fs.delete(out, true)) throw new IOException("cannot delete " + out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replace output directory " + dir, e);
        }
        JavaPairRDD<Text, BytesWritable> files = rows.javaRDD()
                .filter(r -> !r.isNullAt(name) && !r.isNullAt(bytes))
                .mapToPair(r -> new Tuple2<>(new Text(r.getString(name)), new BytesWritable(r.<byte[]>getAs(bytes))));
        files.saveAsNewAPIHadoopFile(dir, Text.class, BytesWritable.class, NamedFilesOutputFormat.class, conf);
    }
}
