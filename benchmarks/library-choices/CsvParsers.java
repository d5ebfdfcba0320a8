// commons-csv against userhub's Csv on the import's 10,000-row shape; run by benchmarks/library-choices.sh.
import java.io.StringReader;
import java.util.*;
import org.apache.commons.csv.*;

public class CsvParsers {
    public static void main(String[] a) throws Exception {
        StringBuilder sb = new StringBuilder("user_id,name,email,phone,company\n");
        for (int i = 0; i < 10_000; i++) sb.append("user-").append(i).append(",\"Person, ").append(i).append("\",p").append(i).append("@example.com,+1555").append(i).append(",Acme\n");
        String text = sb.toString();
        String which = a[0];
        long t0 = System.nanoTime();
        int rows = 0;
        for (int r = 0; r < Integer.parseInt(a[1]); r++) {
            if (which.equals("ours")) rows = io.userhub.functions.users.Csv.parse(text).size();
            else { try (CSVParser p = CSVFormat.RFC4180.parse(new StringReader(text))) { rows = p.getRecords().size(); } }
        }
        long t1 = System.nanoTime();
        System.out.println(which + " rows=" + rows + " ms=" + (t1 - t0) / 1e6);
        String bad = "user_id,name\nu1,\"never closed\nu2,x\n";
        try {
            if (which.equals("ours")) io.userhub.functions.users.Csv.parse(bad);
            else { try (CSVParser p = CSVFormat.RFC4180.parse(new StringReader(bad))) { p.getRecords(); } }
        } catch (Exception e) { System.out.println(which + " unterminated: " + e.getClass().getSimpleName() + ": " + e.getMessage()); }
    }
}
