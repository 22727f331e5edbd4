package org.sdd4j.spark;

import org.apache.spark.sql.SparkSession;

/** One local[2] session for the module's tests (a failed task is tried twice, as on a cluster). */
final class SparkTests {

    private static SparkSession session;
    private static int users;

    private SparkTests() {}

    static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder().master("local[2,2]").appName("sdd-spark-tests")
                    .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
                    .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                    .getOrCreate();
            session.sparkContext().setLogLevel("WARN");
        }
        users++;
        return session;
    }

    static synchronized void release() {
        if (--users == 0) {
            session.stop();
            session = null;
        }
    }
}
