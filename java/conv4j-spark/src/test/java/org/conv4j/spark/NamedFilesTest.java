package org.conv4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link NamedFiles} through the committer Hadoop's factory names for the output's scheme, not only the
 * classic {@code FileOutputCommitter}: object stores bind their own (S3A's magic committer, the manifest
 * committer of ABFS and GCS), all {@code PathOutputCommitter}s. Here the manifest committer, which also
 * runs on the local file system.
 */
class NamedFilesTest {
    private static final String FACTORY = "mapreduce.outputcommitter.factory.scheme.file";
    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSessions.local("NamedFilesTest");
    }

    @AfterAll
    static void stop() {
        if (spark != null) spark.stop();
    }

    @Test
    void writesEveryFileThroughTheManifestCommitter() throws Exception {
        StructType schema = new StructType().add("name", DataTypes.StringType).add("bytes", DataTypes.BinaryType);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 6; i++) rows.add(RowFactory.create("d" + i % 2 + "/f" + i + ".txt", ("file " + i).getBytes(StandardCharsets.UTF_8)));
        Dataset<Row> files = spark.createDataFrame(rows, schema).repartition(3);
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        conf.set(FACTORY, "org.apache.hadoop.mapreduce.lib.output.committer.manifest.ManifestCommitterFactory");
        try {
            NamedFiles.write(files, "name", "bytes", dir.resolve("out").toUri().toString());
        } finally {
            conf.unset(FACTORY);
        }
        for (int i = 0; i < 6; i++) {
            assertArrayEquals(("file " + i).getBytes(StandardCharsets.UTF_8),
                    Files.readAllBytes(dir.resolve("out/d" + i % 2 + "/f" + i + ".txt")), "file " + i);
        }
        try (Stream<Path> all = Files.walk(dir.resolve("out"))) {
            List<String> names = all.filter(Files::isRegularFile).map(p -> dir.resolve("out").relativize(p).toString())
                    .filter(n -> !n.endsWith(".crc")).sorted().toList();
            assertEquals(7, names.size(), "6 files and the committer's _SUCCESS, nothing uncommitted: " + names);
            assertTrue(names.contains("_SUCCESS"), names.toString());
        }
    }
}
