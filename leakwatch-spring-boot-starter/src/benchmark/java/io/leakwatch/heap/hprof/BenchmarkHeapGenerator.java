package io.leakwatch.heap.hprof;

import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.sun.management.HotSpotDiagnosticMXBean;

/**
 * Fills the heap with what a service holds (many small objects, strings, boxed numbers, maps, lists
 * and arrays of every size) until a target size, then dumps it live: the input of
 * {@link HprofBenchmark}. Arguments: {@code file liveMegabytes}.
 */
public final class BenchmarkHeapGenerator {

	private BenchmarkHeapGenerator() {
	}

	record Address(String street, String city, String zip) {
	}

	static final class Order {

		final long id;

		final BigDecimal amount;

		final String sku;

		final LocalDate date;

		final int quantity;

		final boolean shipped;

		Order(long id, BigDecimal amount, String sku, LocalDate date, int quantity, boolean shipped) {
			this.id = id;
			this.amount = amount;
			this.sku = sku;
			this.date = date;
			this.quantity = quantity;
			this.shipped = shipped;
		}

	}

	static final class Customer {

		final long id;

		final String name;

		final String email;

		final Address address;

		final List<Order> orders = new ArrayList<>();

		final Map<String, Object> attributes = new HashMap<>();

		final int[] scores;

		final byte[] avatar;

		double balance;

		Customer(long id, String name, String email, Address address, int[] scores, byte[] avatar) {
			this.id = id;
			this.name = name;
			this.email = email;
			this.address = address;
			this.scores = scores;
			this.avatar = avatar;
		}

	}

	public static void main(String[] args) throws Exception {
		String file = args[0];
		long target = Long.parseLong(args[1]) << 20;
		Random random = new Random(42);
		Map<Long, Customer> customers = new HashMap<>();
		List<long[]> timeSeries = new ArrayList<>();
		String[] cities = { "Lyon", "Porto", "Gdansk", "Leeds", "Graz", "Turku", "Cork", "Brno" };
		long id = 0;
		Runtime runtime = Runtime.getRuntime();
		while (true) {
			for (int n = 0; n < 10_000; n++, id++) {
				Address address = new Address(random.nextInt(999) + " Main Street", cities[random.nextInt(cities.length)],
						String.valueOf(10000 + random.nextInt(89999)));
				int[] scores = new int[random.nextInt(8)];
				byte[] avatar = (random.nextInt(20) == 0) ? new byte[512 + random.nextInt(4096)] : null;
				Customer customer = new Customer(id, "Customer " + id, "customer" + id + "@example.com", address, scores,
						avatar);
				int orders = random.nextInt(6);
				for (int o = 0; o < orders; o++) {
					customer.orders.add(new Order(id * 10 + o, BigDecimal.valueOf(random.nextInt(100_000), 2),
							"SKU-" + random.nextInt(50_000), LocalDate.ofEpochDay(18_000 + random.nextInt(2_000)),
							1 + random.nextInt(9), random.nextBoolean()));
				}
				customer.attributes.put("tier", (random.nextBoolean()) ? "gold" : "silver");
				customer.attributes.put("visits", Long.valueOf(random.nextInt(100_000) + 1_000L));
				customer.attributes.put("tags", List.of("t" + random.nextInt(100), "u" + random.nextInt(100)));
				customer.balance = random.nextDouble();
				customers.put(id, customer);
			}
			timeSeries.add(new long[1024 + random.nextInt(8192)]);
			if (runtime.totalMemory() - runtime.freeMemory() > target) {
				System.gc();
				if (runtime.totalMemory() - runtime.freeMemory() > target) {
					break;
				}
			}
		}
		HotSpotDiagnosticMXBean bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
		bean.dumpHeap(file, true);
		System.out.println("customers " + customers.size() + ", series " + timeSeries.size() + ", dumped " + file);
	}

}
