package org.conv4j.spark;

import org.apache.spark.sql.SparkSession;

/** The embedded Spark of the tests: local, 2 task slots, each task tried at most twice, no UI. */
final class SparkSessions {
    private SparkSessions() {
    }

    static SparkSession local(String app) {
        return SparkSession.builder().master("local[2,2]").appName(app)
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "4")
                .getOrCreate();
    }
}
