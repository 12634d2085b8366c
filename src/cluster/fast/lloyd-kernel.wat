;; The Lloyd pass of K-Means in WebAssembly SIMD (f64x2): the source of the bytes in
;; ./lloyd-kernel.ts (regenerate with wabt's wat2wasm, then base64; see that file).
;; Both functions follow assignAndAccumulate's contract (test/support/lloyd-pass-scalar.ts, their
;; executable specification) on rows [start, end)
;; of a chunk: label each row with its nearest centre (the first one wins ties), count the
;; labels that changed, and add each row and a count of 1 into its cluster's block of the
;; accumulator, in one of two lanes by the row's parity (consecutive rows often fall in the
;; same cluster, and adds into one memory cell would wait for each other). `start` is even.
;; Memory layouts are set up by ./wasm-pass.ts; all addresses are in bytes.
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; Two features, distances in the direct form (x − c)² + (y − c)², which is what the
  ;; scalar pass computes, so the labels are the same bit for bit. Two rows per step: row i
  ;; in lane 0 and row i + 1 in lane 1 of every vector.
  ;;   X: rows of (x, y) as f64; C: k centres as (x, y); L: i32 labels;
  ;;   acc: 2 lanes × k blocks of [Σx, Σy, count, unused] f64 (zeroed here), then 2 counters
  ;;      and the sum of the rows' squared distances to their new centres (even rows, then odd
  ;;      rows, then added: the inertia as the distance kernel's `labelled` sums it, bit for bit).
  (func (export "pass2")
    (param $X i32) (param $L i32) (param $start i32) (param $end i32)
    (param $C i32) (param $k i32) (param $acc i32) (result i32)
    (local $i i32) (local $p i32) (local $cp i32) (local $cend i32) (local $lane i32)
    (local $bx i32) (local $by i32) (local $q i32) (local $two i32) (local $changed i32)
    (local $a v128) (local $b v128) (local $xs v128) (local $ys v128)
    (local $dx v128) (local $dy v128) (local $dd v128) (local $m v128)
    (local $best v128) (local $idx v128) (local $lt v128) (local $s0 f64) (local $s1 f64)
    (local.set $lane (i32.shl (local.get $k) (i32.const 5)))
    (memory.fill (local.get $acc) (i32.const 0) (i32.shl (local.get $lane) (i32.const 1)))
    (local.set $cend (i32.add (local.get $C) (i32.shl (local.get $k) (i32.const 4))))
    (local.set $i (local.get $start))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        ;; At the end of an odd range the partner row is this row again (and not stored).
        (local.set $two (i32.lt_u (i32.add (local.get $i) (i32.const 1)) (local.get $end)))
        (local.set $p (i32.add (local.get $X) (i32.shl (local.get $i) (i32.const 4))))
        (local.set $a (v128.load (local.get $p)))
        (local.set $b (v128.load (i32.add (local.get $p) (i32.shl (local.get $two) (i32.const 4)))))
        (local.set $xs (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a) (local.get $b)))
        (local.set $ys (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a) (local.get $b)))
        (local.set $dx (f64x2.sub (local.get $xs) (v128.load64_splat (local.get $C))))
        (local.set $dy (f64x2.sub (local.get $ys) (v128.load64_splat offset=8 (local.get $C))))
        (local.set $m (f64x2.add (f64x2.mul (local.get $dx) (local.get $dx)) (f64x2.mul (local.get $dy) (local.get $dy))))
        (local.set $best (v128.const i64x2 0 0))
        (local.set $idx (v128.const i64x2 0 0))
        (local.set $cp (i32.add (local.get $C) (i32.const 16)))
        (block $cdone
          (loop $centres
            (br_if $cdone (i32.ge_u (local.get $cp) (local.get $cend)))
            (local.set $idx (i64x2.add (local.get $idx) (v128.const i64x2 1 1)))
            (local.set $dx (f64x2.sub (local.get $xs) (v128.load64_splat (local.get $cp))))
            (local.set $dy (f64x2.sub (local.get $ys) (v128.load64_splat offset=8 (local.get $cp))))
            (local.set $dd (f64x2.add (f64x2.mul (local.get $dx) (local.get $dx)) (f64x2.mul (local.get $dy) (local.get $dy))))
            ;; Branch-free argmin; strictly less, so the first centre keeps a tie.
            (local.set $lt (f64x2.lt (local.get $dd) (local.get $m)))
            (local.set $m (v128.bitselect (local.get $dd) (local.get $m) (local.get $lt)))
            (local.set $best (v128.bitselect (local.get $idx) (local.get $best) (local.get $lt)))
            (local.set $cp (i32.add (local.get $cp) (i32.const 16)))
            (br $centres)))
        (local.set $bx (i32.wrap_i64 (i64x2.extract_lane 0 (local.get $best))))
        (local.set $by (i32.wrap_i64 (i64x2.extract_lane 1 (local.get $best))))
        (local.set $s0 (f64.add (local.get $s0) (f64x2.extract_lane 0 (local.get $m))))
        (local.set $q (i32.add (local.get $L) (i32.shl (local.get $i) (i32.const 2))))
        (local.set $changed (i32.add (local.get $changed) (i32.ne (i32.load (local.get $q)) (local.get $bx))))
        (i32.store (local.get $q) (local.get $bx))
        (local.set $q (i32.add (local.get $acc) (i32.shl (local.get $bx) (i32.const 5))))
        (v128.store (local.get $q) (f64x2.add (v128.load (local.get $q)) (local.get $a)))
        (f64.store offset=16 (local.get $q) (f64.add (f64.load offset=16 (local.get $q)) (f64.const 1)))
        (if (local.get $two)
          (then
            (local.set $q (i32.add (local.get $L) (i32.shl (local.get $i) (i32.const 2))))
            (local.set $changed (i32.add (local.get $changed) (i32.ne (i32.load offset=4 (local.get $q)) (local.get $by))))
            (i32.store offset=4 (local.get $q) (local.get $by))
            (local.set $s1 (f64.add (local.get $s1) (f64x2.extract_lane 1 (local.get $m))))
            (local.set $q (i32.add (i32.add (local.get $acc) (local.get $lane)) (i32.shl (local.get $by) (i32.const 5))))
            (v128.store (local.get $q) (f64x2.add (v128.load (local.get $q)) (local.get $b)))
            (f64.store offset=16 (local.get $q) (f64.add (f64.load offset=16 (local.get $q)) (f64.const 1)))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $rows)))
    (f64.store offset=16 (i32.add (local.get $acc) (i32.shl (local.get $lane) (i32.const 1))) (f64.add (local.get $s0) (local.get $s1)))
    (local.get $changed))

  ;; Any number of features, padded to an even dp, in the expanded form of the specification's widePass:
  ;; the nearest centre minimises bias_c − 2 x·c′ (c′ = c − r, r the mean of the data). Tiles of
  ;; 2 rows × 4 centres: each loaded pair of values feeds four (or two) products.
  ;;
  ;; Hamerly's bounds let most rows skip their distances once the centres settle. B keeps per
  ;; row [u, l]: u at least the distance to its centre, l at most the distance to any other. A
  ;; computed row sets u = √(q + best + E) and l = √(q + second − E), q = ‖x − r‖² (r is fixed
  ;; for a fit, so `norms` computes q once). Each later pass first moves them with the centres
  ;; (u + δ_a, l − δ′_a), and a row keeps its label without computing when u + μ < max(l, h_a):
  ;; its centre is then nearer than any other by more than μ, which exceeds the rounding of the
  ;; computed form, so computing would have chosen it too (`centres`, below, sizes μ and E and
  ;; gives the reasoning).
  ;;
  ;; `passWide` computes every row (a run's first pass) and sums every row; `passBounded` (every
  ;; later pass) computes only the rows its bounds do not settle and returns the change in the
  ;; sums: each row whose label changed leaves its old cluster's sums for its new one's. Then no
  ;; pass but the first reads all of X: once the centres settle, the passes were limited by
  ;; reading X from memory. The rows a block's bounds leave are first touched, a load per cache
  ;; line (their reads overlap; read one by one as computed, each would wait for memory; copying
  ;; them together, as before, cost more: 10 runs' bounded passes at 100k × 16-D, 109 → 101 ms),
  ;; and computed two at a time, so that the tiles stay full.
  ;;   X: row pairs, each as dp/2 steps of [row 2p: 2 features][row 2p + 1: the same 2];
  ;;   T: kp/4 tiles (kp = k padded to a multiple of 4 with centres whose bias is +∞), each
  ;;      [bias of its 4 centres] then dp/2 steps of [centre 0..3: 2 features];
  ;;   acc: 2 lanes × kp blocks of [dp sums, count, unused] f64 (zeroed here), then the count of
  ;;      changed labels (the caller's), the count of computed rows (stored here), the touches'
  ;;      sink (`passBounded`'s) and one unused; `passBounded` then keeps a list of up to 256
  ;;      rows (i32) there;
  ;;   B: [u, l] f64 per row;  Q: q per row (`norms`, below);
  ;;   I: kp f64 each of δ (how far each centre moved), δ′ (the most any other centre moved) and
  ;;      h (half the distance to the nearest other centre), then [μ, E, fresh, R], then r
  ;;      (dp f64); fresh ≠ 0 marks a pass for `passWide`, R ≠ 0 one for `passLabelled` (its
  ;;      labels' address; ./wasm-pass.ts sets it after `centres`, which zeroes it).
  (func (export "passWide")
    (param $X i32) (param $dp i32) (param $L i32) (param $start i32) (param $end i32)
    (param $T i32) (param $kp i32) (param $acc i32) (param $B i32) (param $Q i32) (param $I i32) (result i32)
    (local $j i32) (local $p i32) (local $q i32) (local $two i32) (local $pair i32)
    (local $block i32) (local $lane i32) (local $tile i32) (local $tEnd i32) (local $changed i32) (local $E f64)
    (local.set $block (i32.shl (i32.add (local.get $dp) (i32.const 2)) (i32.const 3)))
    (local.set $lane (i32.mul (local.get $kp) (local.get $block)))
    (memory.fill (local.get $acc) (i32.const 0) (i32.shl (local.get $lane) (i32.const 1)))
    (local.set $tile (i32.add (i32.const 32) (i32.shl (local.get $dp) (i32.const 5))))
    (local.set $tEnd (i32.add (local.get $T) (i32.mul (i32.shr_u (local.get $kp) (i32.const 2)) (local.get $tile))))
    (local.set $pair (i32.shl (local.get $dp) (i32.const 4)))
    (local.set $E (f64.load offset=8 (i32.add (local.get $I) (i32.mul (local.get $kp) (i32.const 24)))))
    (local.set $j (local.get $start))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $j) (local.get $end)))
        (local.set $q (i32.add (local.get $L) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $p (i32.add (local.get $X) (i32.mul (i32.shr_u (local.get $j) (i32.const 1)) (local.get $pair))))
        ;; rows j and j + 1 (j again at the end of an odd range), summed into lanes 0 and 1
        (local.set $two (i32.lt_u (i32.add (local.get $j) (i32.const 1)) (local.get $end)))
        (local.set $changed (i32.add (local.get $changed) (call $settle (local.get $j) (i32.add (local.get $j) (local.get $two))
          (local.get $p) (i32.shl (local.get $two) (i32.const 4)) (local.get $dp) (local.get $L) (local.get $B) (local.get $T) (local.get $tEnd) (local.get $tile)
          (local.get $Q) (local.get $E) (i32.const 0) (i32.const 0))))
        (call $sumRows (local.get $p) (local.get $pair) (local.get $two)
          (i32.add (local.get $acc) (i32.mul (i32.load (local.get $q)) (local.get $block)))
          (i32.add (i32.add (local.get $acc) (local.get $lane)) (i32.mul (i32.load offset=4 (local.get $q)) (local.get $block))))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $rows)))
    (f64.store offset=8 (i32.add (local.get $acc) (i32.shl (local.get $lane) (i32.const 1)))
      (f64.convert_i32_u (i32.sub (local.get $end) (local.get $start))))
    (local.get $changed))

  ;; A run's first pass when k-means++ found each row's nearest centre already (R: a label per
  ;; row, a byte each; see ../seeding): `passWide` without the distances. Each row takes its
  ;; label from R and is summed as `passWide` sums it; no row is computed, and the bounds are
  ;; left as they are (the next pass computes every row).
  (func (export "passLabelled")
    (param $X i32) (param $dp i32) (param $L i32) (param $start i32) (param $end i32)
    (param $R i32) (param $kp i32) (param $acc i32) (result i32)
    (local $j i32) (local $p i32) (local $q i32) (local $two i32)
    (local $la i32) (local $lb i32) (local $block i32) (local $lane i32) (local $pair i32) (local $changed i32)
    (local.set $block (i32.shl (i32.add (local.get $dp) (i32.const 2)) (i32.const 3)))
    (local.set $lane (i32.mul (local.get $kp) (local.get $block)))
    (memory.fill (local.get $acc) (i32.const 0) (i32.shl (local.get $lane) (i32.const 1)))
    (local.set $pair (i32.shl (local.get $dp) (i32.const 4)))
    (local.set $j (local.get $start))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $j) (local.get $end)))
        (local.set $two (i32.lt_u (i32.add (local.get $j) (i32.const 1)) (local.get $end)))
        (local.set $q (i32.add (local.get $L) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $p (i32.add (local.get $X) (i32.mul (i32.shr_u (local.get $j) (i32.const 1)) (local.get $pair))))
        (local.set $la (i32.load8_u (i32.add (local.get $R) (local.get $j))))
        (local.set $changed (i32.add (local.get $changed) (i32.ne (i32.load (local.get $q)) (local.get $la))))
        (i32.store (local.get $q) (local.get $la))
        (local.set $lb (select (i32.load8_u offset=1 (i32.add (local.get $R) (local.get $j))) (local.get $la) (local.get $two)))
        (if (local.get $two)
          (then
            (local.set $changed (i32.add (local.get $changed) (i32.ne (i32.load offset=4 (local.get $q)) (local.get $lb))))
            (i32.store offset=4 (local.get $q) (local.get $lb))))
        (call $sumRows (local.get $p) (local.get $pair) (local.get $two)
          (i32.add (local.get $acc) (i32.mul (local.get $la) (local.get $block)))
          (i32.add (i32.add (local.get $acc) (local.get $lane)) (i32.mul (local.get $lb) (local.get $block))))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $rows)))
    (f64.store offset=8 (i32.add (local.get $acc) (i32.shl (local.get $lane) (i32.const 1))) (f64.const 0))
    (local.get $changed))

  ;; A row pair at p (`pair` bytes: steps of [row a: 2 features][row b: the same 2]) into the
  ;; sums: row a and a count of 1 into the block at o (lane 0), row b and a count into the block
  ;; at bb (lane 1) when there is one (`two`; at the end of an odd range there is not).
  (func $sumRows (param $p i32) (param $pair i32) (param $two i32) (param $o i32) (param $bb i32)
    (local $pEnd i32)
    (local.set $pEnd (i32.add (local.get $p) (local.get $pair)))
    (if (local.get $two)
      (then
        (loop $add2
          (v128.store (local.get $o) (f64x2.add (v128.load (local.get $o)) (v128.load (local.get $p))))
          (v128.store (local.get $bb) (f64x2.add (v128.load (local.get $bb)) (v128.load offset=16 (local.get $p))))
          (local.set $o (i32.add (local.get $o) (i32.const 16)))
          (local.set $bb (i32.add (local.get $bb) (i32.const 16)))
          (local.set $p (i32.add (local.get $p) (i32.const 32)))
          (br_if $add2 (i32.lt_u (local.get $p) (local.get $pEnd))))
        (f64.store (local.get $bb) (f64.add (f64.load (local.get $bb)) (f64.const 1))))
      (else
        (loop $add1
          (v128.store (local.get $o) (f64x2.add (v128.load (local.get $o)) (v128.load (local.get $p))))
          (local.set $o (i32.add (local.get $o) (i32.const 16)))
          (local.set $p (i32.add (local.get $p) (i32.const 32)))
          (br_if $add1 (i32.lt_u (local.get $p) (local.get $pEnd))))))
    ;; the count follows the sums
    (f64.store (local.get $o) (f64.add (f64.load (local.get $o)) (f64.const 1))))

  (func (export "passBounded")
    (param $X i32) (param $dp i32) (param $L i32) (param $start i32) (param $end i32)
    (param $T i32) (param $kp i32) (param $acc i32) (param $B i32) (param $Q i32) (param $I i32) (result i32)
    (local $i i32) (local $j i32) (local $bend i32) (local $two i32) (local $mask i32)
    (local $p i32) (local $pEnd i32) (local $o i32) (local $q i32) (local $bb i32) (local $bb1 i32)
    (local $bx i32) (local $by i32) (local $da i32) (local $db i32) (local $pair i32)
    (local $block i32) (local $lane i32) (local $tile i32) (local $tEnd i32) (local $k8 i32)
    (local $changed i32) (local $computed i32) (local $rows i32) (local $list i32) (local $last i32) (local $sink i32)
    (local $mu v128) (local $E f64) (local $v0 v128) (local $v1 v128) (local $uu v128) (local $ll v128)
    (local.set $block (i32.shl (i32.add (local.get $dp) (i32.const 2)) (i32.const 3)))
    (local.set $lane (i32.mul (local.get $kp) (local.get $block)))
    (memory.fill (local.get $acc) (i32.const 0) (i32.shl (local.get $lane) (i32.const 1)))
    (local.set $tile (i32.add (i32.const 32) (i32.shl (local.get $dp) (i32.const 5))))
    (local.set $tEnd (i32.add (local.get $T) (i32.mul (i32.shr_u (local.get $kp) (i32.const 2)) (local.get $tile))))
    (local.set $k8 (i32.shl (local.get $kp) (i32.const 3)))
    (local.set $pair (i32.shl (local.get $dp) (i32.const 4)))
    ;; the list of rows to compute, after the slot's counters
    (local.set $list (i32.add (i32.add (local.get $acc) (i32.shl (local.get $lane) (i32.const 1))) (i32.const 32)))
    (local.set $rows (call $blockRows (local.get $dp)))
    ;; the scalars after δ, δ′ and h
    (local.set $o (i32.add (local.get $I) (i32.mul (local.get $k8) (i32.const 3))))
    (local.set $mu (v128.load64_splat (local.get $o)))
    (local.set $E (f64.load offset=8 (local.get $o)))
    (local.set $i (local.get $start))
    (block $done
      (loop $blocks
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $bend (select (local.get $end) (i32.add (local.get $i) (local.get $rows))
          (i32.lt_u (local.get $end) (i32.add (local.get $i) (local.get $rows)))))
        ;; 1. Bounds, a pair of rows at a time; the rows they do not settle go on the list.
        (local.set $last (local.get $list))
        (local.set $j (local.get $i))
        (loop $bounds
          ;; At the end of an odd range the partner is this row again.
          (local.set $two (i32.lt_u (i32.add (local.get $j) (i32.const 1)) (local.get $bend)))
          (local.set $q (i32.add (local.get $L) (i32.shl (local.get $j) (i32.const 2))))
          (local.set $bb (i32.add (local.get $B) (i32.shl (local.get $j) (i32.const 4))))
          (local.set $bx (i32.load (local.get $q)))
          (local.set $by (select (i32.load offset=4 (local.get $q)) (local.get $bx) (local.get $two)))
          (local.set $bb1 (select (i32.add (local.get $bb) (i32.const 16)) (local.get $bb) (local.get $two)))
          (local.set $v0 (v128.load (local.get $bb)))
          (local.set $v1 (v128.load (local.get $bb1)))
          (local.set $da (i32.add (local.get $I) (i32.shl (local.get $bx) (i32.const 3))))
          (local.set $db (i32.add (local.get $I) (i32.shl (local.get $by) (i32.const 3))))
          (local.set $uu (f64x2.add
            (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $v0) (local.get $v1))
            (v128.load64_lane 1 (local.get $db) (v128.load64_zero (local.get $da)))))
          (local.set $da (i32.add (local.get $da) (local.get $k8)))
          (local.set $db (i32.add (local.get $db) (local.get $k8)))
          (local.set $ll (f64x2.sub
            (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $v0) (local.get $v1))
            (v128.load64_lane 1 (local.get $db) (v128.load64_zero (local.get $da)))))
          (v128.store (local.get $bb) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $uu) (local.get $ll)))
          (v128.store (local.get $bb1) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $uu) (local.get $ll)))
          (local.set $da (i32.add (local.get $da) (local.get $k8)))
          (local.set $db (i32.add (local.get $db) (local.get $k8)))
          ;; bit 0: row j keeps its label, bit 1: row j + 1 (kept, when there is none)
          (local.set $mask (i32.or (i64x2.bitmask (f64x2.lt (f64x2.add (local.get $uu) (local.get $mu))
            (f64x2.pmax (local.get $ll) (v128.load64_lane 1 (local.get $db) (v128.load64_zero (local.get $da))))))
            (i32.shl (i32.eqz (local.get $two)) (i32.const 1))))
          ;; append row j if not kept, then row j + 1 if not kept (without branches)
          (i32.store (local.get $last) (local.get $j))
          (local.set $last (i32.add (local.get $last) (i32.shl (i32.xor (i32.and (local.get $mask) (i32.const 1)) (i32.const 1)) (i32.const 2))))
          (i32.store (local.get $last) (i32.add (local.get $j) (i32.const 1)))
          (local.set $last (i32.add (local.get $last) (i32.shl (i32.and (i32.xor (local.get $mask) (i32.const 2)) (i32.const 2)) (i32.const 1))))
          (local.set $j (i32.add (local.get $j) (i32.const 2)))
          (br_if $bounds (i32.lt_u (local.get $j) (local.get $bend))))
        ;; 2. Touch the listed rows, a load per cache line of their pair's (a row's values are
        ;;    spread over all of them), so that their reads from memory overlap; the loads' xor
        ;;    goes to the slot, so that they are not optimised away.
        (local.set $computed (i32.add (local.get $computed) (i32.shr_u (i32.sub (local.get $last) (local.get $list)) (i32.const 2))))
        (local.set $o (local.get $list))
        (block $touched
          (loop $touch
            (br_if $touched (i32.ge_u (local.get $o) (local.get $last)))
            (local.set $p (i32.add (local.get $X) (i32.mul (i32.shr_u (i32.load (local.get $o)) (i32.const 1)) (local.get $pair))))
            (local.set $pEnd (i32.add (local.get $p) (local.get $pair)))
            (loop $lines
              (local.set $sink (i32.xor (local.get $sink) (i32.load (local.get $p))))
              (local.set $p (i32.add (local.get $p) (i32.const 64)))
              (br_if $lines (i32.lt_u (local.get $p) (local.get $pEnd))))
            (local.set $o (i32.add (local.get $o) (i32.const 4)))
            (br $touch)))
        ;; 3. Their nearest centres, two at a time (the last alone if odd), and the change in the sums.
        (local.set $o (local.get $list))
        (block $listed
          (loop $settled
            (br_if $listed (i32.ge_u (local.get $o) (local.get $last)))
            (local.set $two (i32.lt_u (i32.add (local.get $o) (i32.const 4)) (local.get $last)))
            ;; rows a and b (b = a for the last alone) where they are in X
            (local.set $bx (i32.load (local.get $o)))
            (local.set $by (select (i32.load offset=4 (local.get $o)) (local.get $bx) (local.get $two)))
            (local.set $p (i32.add (i32.add (local.get $X) (i32.mul (i32.shr_u (local.get $bx) (i32.const 1)) (local.get $pair)))
              (i32.shl (i32.and (local.get $bx) (i32.const 1)) (i32.const 4))))
            (local.set $pEnd (i32.add (i32.add (local.get $X) (i32.mul (i32.shr_u (local.get $by) (i32.const 1)) (local.get $pair)))
              (i32.shl (i32.and (local.get $by) (i32.const 1)) (i32.const 4))))
            (local.set $changed (i32.add (local.get $changed) (call $settle (local.get $bx) (local.get $by)
              (local.get $p) (i32.sub (local.get $pEnd) (local.get $p)) (local.get $dp) (local.get $L) (local.get $B)
              (local.get $T) (local.get $tEnd) (local.get $tile) (local.get $Q) (local.get $E) (local.get $acc) (local.get $block))))
            (local.set $o (i32.add (local.get $o) (i32.const 8)))
            (br $settled)))
        (local.set $i (local.get $bend))
        (br $blocks)))
    (f64.store offset=8 (i32.add (local.get $acc) (i32.shl (local.get $lane) (i32.const 1))) (f64.convert_i32_u (local.get $computed)))
    (i32.store offset=16 (i32.add (local.get $acc) (i32.shl (local.get $lane) (i32.const 1))) (local.get $sink))
    (local.get $changed))

  ;; Rows per block of `passBounded`: about 32 KiB of X (so that the lines it touches are still
  ;; in the first-level cache when computed), an even number from 2 to 256 (the list's room).
  (func $blockRows (param $dp i32) (result i32)
    (local $rows i32)
    (local.set $rows (i32.and (i32.div_u (i32.const 4096) (local.get $dp)) (i32.const -2)))
    (local.set $rows (select (local.get $rows) (i32.const 2) (i32.gt_u (local.get $rows) (i32.const 2))))
    (select (local.get $rows) (i32.const 256) (i32.lt_u (local.get $rows) (i32.const 256))))

  ;; The nearest centres of rows a and b (a = b for one row alone) into their labels, and their
  ;; new bounds [u, l]; returns how many labels changed. The rows' values are read at pa (a) and
  ;; pa + off (b), then 32 bytes on per two features. Unless acc is 0, each row whose label
  ;; changed also moves from its old cluster's block of acc (lane 0) to its new one's. A
  ;; function of its own, so that its tile loop's registers are allocated apart from the passes.
  (func $settle (param $a i32) (param $b i32) (param $pa i32) (param $off i32) (param $dp i32) (param $L i32) (param $B i32)
    (param $T i32) (param $tEnd i32) (param $tile i32) (param $Q i32) (param $E f64) (param $acc i32) (param $block i32) (result i32)
    (local $paEnd i32) (local $p i32) (local $t i32) (local $o i32)
    (local $bx i32) (local $by i32) (local $changed i32) (local $old i32)
    (local $x0 v128) (local $x1 v128) (local $cv v128)
    (local $s00 v128) (local $s01 v128) (local $s02 v128) (local $s03 v128)
    (local $s10 v128) (local $s11 v128) (local $s12 v128) (local $s13 v128)
    (local $m0 v128) (local $m1 v128) (local $b0 v128) (local $b1 v128)
    (local $idx v128) (local $d v128) (local $lt v128)
    (local $f0 f64) (local $f1 f64) (local $g0 i32) (local $g1 i32)
    (local $n0 v128) (local $n1 v128) (local $q0 v128) (local $uu v128) (local $ll v128)
    (local.set $paEnd (i32.add (local.get $pa) (i32.shl (local.get $dp) (i32.const 4))))
    (local.set $m0 (v128.const f64x2 inf inf))
    (local.set $m1 (v128.const f64x2 inf inf))
    (local.set $n0 (v128.const f64x2 inf inf))
    (local.set $n1 (v128.const f64x2 inf inf))
    (local.set $b0 (v128.const i64x2 0 0))
    (local.set $b1 (v128.const i64x2 0 0))
    (local.set $idx (v128.const i64x2 0 1))
    (local.set $t (local.get $T))
    (loop $tiles
      (local.set $s00 (v128.const i64x2 0 0)) (local.set $s01 (v128.const i64x2 0 0))
      (local.set $s02 (v128.const i64x2 0 0)) (local.set $s03 (v128.const i64x2 0 0))
      (local.set $s10 (v128.const i64x2 0 0)) (local.set $s11 (v128.const i64x2 0 0))
      (local.set $s12 (v128.const i64x2 0 0)) (local.set $s13 (v128.const i64x2 0 0))
      (local.set $p (local.get $pa))
      (local.set $o (i32.add (local.get $t) (i32.const 32)))
      (loop $features
        (local.set $x0 (v128.load (local.get $p)))
        (local.set $x1 (v128.load (i32.add (local.get $p) (local.get $off))))
        (local.set $cv (v128.load (local.get $o)))
        (local.set $s00 (f64x2.add (local.get $s00) (f64x2.mul (local.get $x0) (local.get $cv))))
        (local.set $s10 (f64x2.add (local.get $s10) (f64x2.mul (local.get $x1) (local.get $cv))))
        (local.set $cv (v128.load offset=16 (local.get $o)))
        (local.set $s01 (f64x2.add (local.get $s01) (f64x2.mul (local.get $x0) (local.get $cv))))
        (local.set $s11 (f64x2.add (local.get $s11) (f64x2.mul (local.get $x1) (local.get $cv))))
        (local.set $cv (v128.load offset=32 (local.get $o)))
        (local.set $s02 (f64x2.add (local.get $s02) (f64x2.mul (local.get $x0) (local.get $cv))))
        (local.set $s12 (f64x2.add (local.get $s12) (f64x2.mul (local.get $x1) (local.get $cv))))
        (local.set $cv (v128.load offset=48 (local.get $o)))
        (local.set $s03 (f64x2.add (local.get $s03) (f64x2.mul (local.get $x0) (local.get $cv))))
        (local.set $s13 (f64x2.add (local.get $s13) (f64x2.mul (local.get $x1) (local.get $cv))))
        (local.set $p (i32.add (local.get $p) (i32.const 32)))
        (local.set $o (i32.add (local.get $o) (i32.const 64)))
        (br_if $features (i32.lt_u (local.get $p) (local.get $paEnd))))
      ;; Lanes: centres (c, c + 1), then (c + 2, c + 3); the pair sums' two halves added.
      ;; distance = bias − 2·dot, where 2·dot = dot + dot exactly. The second nearest
      ;; (n) is the smaller of itself and the larger of the nearest (m) and this one.
      (local.set $d (f64x2.add
        (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s00) (local.get $s01))
        (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s00) (local.get $s01))))
      (local.set $d (f64x2.sub (v128.load (local.get $t)) (f64x2.add (local.get $d) (local.get $d))))
      (local.set $n0 (f64x2.pmin (local.get $n0) (f64x2.pmax (local.get $m0) (local.get $d))))
      (local.set $lt (f64x2.lt (local.get $d) (local.get $m0)))
      (local.set $m0 (v128.bitselect (local.get $d) (local.get $m0) (local.get $lt)))
      (local.set $b0 (v128.bitselect (local.get $idx) (local.get $b0) (local.get $lt)))
      (local.set $d (f64x2.add
        (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s10) (local.get $s11))
        (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s10) (local.get $s11))))
      (local.set $d (f64x2.sub (v128.load (local.get $t)) (f64x2.add (local.get $d) (local.get $d))))
      (local.set $n1 (f64x2.pmin (local.get $n1) (f64x2.pmax (local.get $m1) (local.get $d))))
      (local.set $lt (f64x2.lt (local.get $d) (local.get $m1)))
      (local.set $m1 (v128.bitselect (local.get $d) (local.get $m1) (local.get $lt)))
      (local.set $b1 (v128.bitselect (local.get $idx) (local.get $b1) (local.get $lt)))
      (local.set $idx (i64x2.add (local.get $idx) (v128.const i64x2 2 2)))
      (local.set $d (f64x2.add
        (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s02) (local.get $s03))
        (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s02) (local.get $s03))))
      (local.set $d (f64x2.sub (v128.load offset=16 (local.get $t)) (f64x2.add (local.get $d) (local.get $d))))
      (local.set $n0 (f64x2.pmin (local.get $n0) (f64x2.pmax (local.get $m0) (local.get $d))))
      (local.set $lt (f64x2.lt (local.get $d) (local.get $m0)))
      (local.set $m0 (v128.bitselect (local.get $d) (local.get $m0) (local.get $lt)))
      (local.set $b0 (v128.bitselect (local.get $idx) (local.get $b0) (local.get $lt)))
      (local.set $d (f64x2.add
        (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s12) (local.get $s13))
        (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s12) (local.get $s13))))
      (local.set $d (f64x2.sub (v128.load offset=16 (local.get $t)) (f64x2.add (local.get $d) (local.get $d))))
      (local.set $n1 (f64x2.pmin (local.get $n1) (f64x2.pmax (local.get $m1) (local.get $d))))
      (local.set $lt (f64x2.lt (local.get $d) (local.get $m1)))
      (local.set $m1 (v128.bitselect (local.get $d) (local.get $m1) (local.get $lt)))
      (local.set $b1 (v128.bitselect (local.get $idx) (local.get $b1) (local.get $lt)))
      (local.set $idx (i64x2.add (local.get $idx) (v128.const i64x2 2 2)))
      (local.set $t (i32.add (local.get $t) (local.get $tile)))
      (br_if $tiles (i32.lt_u (local.get $t) (local.get $tEnd))))
    ;; Lane 0 holds the first nearest of the even centres, lane 1 of the odd ones: the
    ;; odd one wins if strictly nearer, or as near with a smaller index. The second
    ;; nearest overall is the smaller of the lanes' seconds and the larger nearest.
    (local.set $f0 (f64x2.extract_lane 0 (local.get $m0)))
    (local.set $f1 (f64x2.extract_lane 1 (local.get $m0)))
    (local.set $g0 (i32.wrap_i64 (i64x2.extract_lane 0 (local.get $b0))))
    (local.set $g1 (i32.wrap_i64 (i64x2.extract_lane 1 (local.get $b0))))
    (local.set $bx (select (local.get $g1) (local.get $g0)
      (i32.or (f64.lt (local.get $f1) (local.get $f0))
        (i32.and (f64.eq (local.get $f1) (local.get $f0)) (i32.lt_u (local.get $g1) (local.get $g0))))))
    (local.set $f0 (f64x2.extract_lane 0 (local.get $m1)))
    (local.set $f1 (f64x2.extract_lane 1 (local.get $m1)))
    (local.set $g0 (i32.wrap_i64 (i64x2.extract_lane 0 (local.get $b1))))
    (local.set $g1 (i32.wrap_i64 (i64x2.extract_lane 1 (local.get $b1))))
    (local.set $by (select (local.get $g1) (local.get $g0)
      (i32.or (f64.lt (local.get $f1) (local.get $f0))
        (i32.and (f64.eq (local.get $f1) (local.get $f0)) (i32.lt_u (local.get $g1) (local.get $g0))))))
    ;; Both rows at once, [row a, row b]: the nearest is the nearer of the lanes' nearest, the
    ;; second the nearest of the farther one and the lanes' seconds (pmin and pmax, not min and
    ;; max, whose NaN and −0 rules cost branches that mispredict).
    (local.set $uu (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $m0) (local.get $m1)))
    (local.set $ll (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $m0) (local.get $m1)))
    (local.set $d (f64x2.pmin (local.get $uu) (local.get $ll)))
    (local.set $lt (f64x2.pmin (f64x2.pmax (local.get $uu) (local.get $ll)) (f64x2.pmin
      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $n0) (local.get $n1))
      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $n0) (local.get $n1)))))
    ;; [q of row a, q of row b]
    (local.set $q0 (v128.load64_lane 1 (i32.add (local.get $Q) (i32.shl (local.get $b) (i32.const 3)))
      (v128.load64_zero (i32.add (local.get $Q) (i32.shl (local.get $a) (i32.const 3))))))
    (local.set $uu (f64x2.sqrt (f64x2.add (f64x2.add (local.get $q0) (f64x2.splat (local.get $E))) (local.get $d))))
    (local.set $ll (f64x2.sqrt (f64x2.pmax (v128.const i64x2 0 0)
      (f64x2.sub (f64x2.add (local.get $q0) (local.get $lt)) (f64x2.splat (local.get $E))))))
    (v128.store (i32.add (local.get $B) (i32.shl (local.get $a) (i32.const 4)))
      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $uu) (local.get $ll)))
    (v128.store (i32.add (local.get $B) (i32.shl (local.get $b) (i32.const 4)))
      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $uu) (local.get $ll)))
    ;; the labels (b's last: for a = b they are the same), and the moves between clusters
    (local.set $p (i32.add (local.get $L) (i32.shl (local.get $a) (i32.const 2))))
    (local.set $old (i32.load (local.get $p)))
    (i32.store (local.get $p) (local.get $bx))
    (if (i32.ne (local.get $old) (local.get $bx))
      (then
        (local.set $changed (i32.const 1))
        (if (local.get $acc) (then (call $move (local.get $pa) (local.get $dp) (local.get $acc) (local.get $block) (local.get $old) (local.get $bx))))))
    (if (i32.ne (local.get $a) (local.get $b))
      (then
        (local.set $p (i32.add (local.get $L) (i32.shl (local.get $b) (i32.const 2))))
        (local.set $old (i32.load (local.get $p)))
        (i32.store (local.get $p) (local.get $by))
        (if (i32.ne (local.get $old) (local.get $by))
          (then
            (local.set $changed (i32.add (local.get $changed) (i32.const 1)))
            (if (local.get $acc)
              (then (call $move (i32.add (local.get $pa) (local.get $off)) (local.get $dp) (local.get $acc) (local.get $block) (local.get $old) (local.get $by))))))))
    (local.get $changed))

  ;; The row at x (dp values, 32 bytes on per two) leaves cluster `from` for cluster `to`: its
  ;; values and a count of 1 out of one block of acc and into the other.
  (func $move (param $x i32) (param $dp i32) (param $acc i32) (param $block i32) (param $from i32) (param $to i32)
    (local $f i32) (local $t i32) (local $end i32) (local $v v128)
    (local.set $f (i32.add (local.get $acc) (i32.mul (local.get $from) (local.get $block))))
    (local.set $t (i32.add (local.get $acc) (i32.mul (local.get $to) (local.get $block))))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $dp) (i32.const 4))))
    (loop $steps
      (local.set $v (v128.load (local.get $x)))
      (v128.store (local.get $f) (f64x2.sub (v128.load (local.get $f)) (local.get $v)))
      (v128.store (local.get $t) (f64x2.add (v128.load (local.get $t)) (local.get $v)))
      (local.set $f (i32.add (local.get $f) (i32.const 16)))
      (local.set $t (i32.add (local.get $t) (i32.const 16)))
      (local.set $x (i32.add (local.get $x) (i32.const 32)))
      (br_if $steps (i32.lt_u (local.get $x) (local.get $end))))
    (f64.store (local.get $f) (f64.sub (f64.load (local.get $f)) (f64.const 1)))
    (f64.store (local.get $t) (f64.add (f64.load (local.get $t)) (f64.const 1))))

  ;; The chunks' slots (nChunks of them, `bytes` apart from S, each 2 lanes × kp blocks of [dp sums,
  ;; count, unused]) added, chunk after chunk, into the k × d sums and then k counts at out:
  ;; out[c, j] += lane 0 + lane 1, in the order ./slots.ts documents (the sums a pass gives are the
  ;; same bit for bit on any number of threads). Here rather than in JavaScript: it runs once a
  ;; pass, and a fit's 40 passes left the JavaScript unoptimised for the next fit (~5 ms there).
  (func (export "reduce") (param $S i32) (param $bytes i32) (param $nChunks i32) (param $kp i32) (param $dp i32)
    (param $d i32) (param $k i32) (param $out i32)
    (local $chunk i32) (local $c i32) (local $j i32) (local $a i32) (local $block i32) (local $lane i32) (local $w8 i32) (local $o i32) (local $counts i32)
    (local.set $w8 (i32.shl (i32.add (local.get $dp) (i32.const 2)) (i32.const 3)))
    (local.set $lane (i32.mul (local.get $kp) (local.get $w8)))
    (local.set $counts (i32.add (local.get $out) (i32.shl (i32.mul (local.get $k) (local.get $d)) (i32.const 3))))
    (block $done
      (loop $chunks
        (br_if $done (i32.ge_u (local.get $chunk) (local.get $nChunks)))
        (local.set $c (i32.const 0))
        (local.set $o (local.get $out))
        (block $centres
          (loop $each
            (br_if $centres (i32.ge_u (local.get $c) (local.get $k)))
            (local.set $block (i32.add (i32.add (local.get $S) (i32.mul (local.get $chunk) (local.get $bytes))) (i32.mul (local.get $c) (local.get $w8))))
            (local.set $a (local.get $block))
            (local.set $j (i32.const 0))
            (block $features
              (loop $feature
                (br_if $features (i32.ge_u (local.get $j) (local.get $d)))
                (f64.store (local.get $o) (f64.add (f64.load (local.get $o))
                  (f64.add (f64.load (local.get $a)) (f64.load (i32.add (local.get $a) (local.get $lane))))))
                (local.set $o (i32.add (local.get $o) (i32.const 8)))
                (local.set $a (i32.add (local.get $a) (i32.const 8)))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $feature)))
            ;; the count, after the block's dp sums
            (local.set $a (i32.add (local.get $block) (i32.shl (local.get $dp) (i32.const 3))))
            (local.set $j (i32.add (local.get $counts) (i32.shl (local.get $c) (i32.const 3))))
            (f64.store (local.get $j) (f64.add (f64.load (local.get $j))
              (f64.add (f64.load (local.get $a)) (f64.load (i32.add (local.get $a) (local.get $lane))))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $each)))
        (local.set $chunk (i32.add (local.get $chunk) (i32.const 1)))
        (br $chunks))))

;; Before each wide pass: the k centres (C: k × d f64, row-major) into the tiles T that passWide
  ;; and passBounded read (layout above: bias_c = ‖c′‖² + 2 r·c′ and c′ = c − r, r at R, d f64),
  ;; and into I what the bounds need this pass. P holds the last pass's centres (k × d), or is 0
  ;; when every row is to be computed (I's fresh flag). Here rather than in JavaScript: a fit's
  ;; first ~40 passes run such JavaScript unoptimised, and optimising it in the second fit took
  ;; a core of two for ~20 ms. The executable specification is test/support/bounds-info-scalar.ts.
  ;;
  ;; Why a kept label is the label computing would give: the kernel computes each row's
  ;; s_c = bias_c − 2 x·c′ and q = ‖x − r‖², and q + s_c is ‖x − c‖² up to rounding. Every term
  ;; in it is at most M² = (max‖x‖ + ‖r‖ + max‖c′‖)² in size, and each of the at most dp + 3
  ;; roundings in a term is relative 2⁻⁵³, so |q + s_c − ‖x − c‖²| ≤ E = (dp + 4)·2⁻⁴⁹·M² (with
  ;; room to spare). Hence u = √(q + s_a + E) and l = √(q + s_second − E) bound the true
  ;; distances. Moving them by how far the centres moved keeps them bounds (the triangle
  ;; inequality), and so does h_a: a row within h_a of its centre is nearer to it than to any
  ;; other. If u + μ < max(l, h_a), every other centre is farther than the row's own by more than
  ;; μ, so its squared distance is larger by more than μ² = 2E: more than the two computed values'
  ;; rounding, and computing would pick the row's centre again. The rounding of the updates
  ;; themselves (u + δ, l − δ′, about 2⁻⁵²·M each) would need more than 10⁸ passes to reach μ (at
  ;; least 2⁻²³·M); the moves are rounded up and h down here by more than their own rounding.
  (func (export "centres") (param $C i32) (param $P i32) (param $d i32) (param $dp i32) (param $k i32) (param $kp i32)
    (param $T i32) (param $I i32) (param $R i32) (param $maxNorm f64)
    (local $c i32) (local $o i32) (local $j i32) (local $tile i32) (local $at i32)
    (local $v f64) (local $bias f64) (local $s f64) (local $cMax f64) (local $rNorm f64) (local $M f64) (local $E f64)
    (local $delta f64) (local $first f64) (local $second f64) (local $nearest f64)
    (local.set $tile (i32.add (i32.const 32) (i32.shl (local.get $dp) (i32.const 5))))
    (memory.fill (local.get $T) (i32.const 0) (i32.mul (i32.shr_u (local.get $kp) (i32.const 2)) (local.get $tile)))
    (block $real
      (loop $centre
        (br_if $real (i32.ge_u (local.get $c) (local.get $k)))
        (local.set $o (i32.add (local.get $T) (i32.mul (i32.shr_u (local.get $c) (i32.const 2)) (local.get $tile))))
        (local.set $bias (f64.const 0))
        (local.set $s (f64.const 0))
        (local.set $j (i32.const 0))
        (block $features
          (loop $feature
            (br_if $features (i32.ge_u (local.get $j) (local.get $d)))
            (local.set $v (f64.sub (f64.load (i32.add (local.get $C) (i32.shl (i32.add (i32.mul (local.get $c) (local.get $d)) (local.get $j)) (i32.const 3))))
              (f64.load (i32.add (local.get $R) (i32.shl (local.get $j) (i32.const 3))))))
            (local.set $bias (f64.add (local.get $bias) (f64.add (f64.mul (local.get $v) (local.get $v))
              (f64.mul (f64.mul (f64.const 2) (f64.load (i32.add (local.get $R) (i32.shl (local.get $j) (i32.const 3))))) (local.get $v)))))
            (local.set $s (f64.add (local.get $s) (f64.mul (local.get $v) (local.get $v))))
            ;; f64 4 + (j >> 1)·8 + (c & 3)·2 + (j & 1) of the tile
            (f64.store offset=32 (i32.add (local.get $o) (i32.shl (i32.add (i32.add (i32.shl (i32.shr_u (local.get $j) (i32.const 1)) (i32.const 3))
              (i32.shl (i32.and (local.get $c) (i32.const 3)) (i32.const 1))) (i32.and (local.get $j) (i32.const 1))) (i32.const 3)))
              (local.get $v))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $feature)))
        (f64.store (i32.add (local.get $o) (i32.shl (i32.and (local.get $c) (i32.const 3)) (i32.const 3))) (local.get $bias))
        (local.set $cMax (f64.max (local.get $cMax) (local.get $s)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $centre)))
    ;; A padding centre is never nearer than a real one.
    (block $padded
      (loop $pad
        (br_if $padded (i32.ge_u (local.get $c) (local.get $kp)))
        (f64.store (i32.add (i32.add (local.get $T) (i32.mul (i32.shr_u (local.get $c) (i32.const 2)) (local.get $tile)))
          (i32.shl (i32.and (local.get $c) (i32.const 3)) (i32.const 3))) (f64.const inf))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $pad)))
    (local.set $j (i32.const 0))
    (block $rdone
      (loop $rsum
        (br_if $rdone (i32.ge_u (local.get $j) (local.get $d)))
        (local.set $v (f64.load (i32.add (local.get $R) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $rNorm (f64.add (local.get $rNorm) (f64.mul (local.get $v) (local.get $v))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $rsum)))
    ;; I: δ (kp), δ′ (kp), h (kp), then [μ, E, fresh, R] (R zeroed: see passWide)
    (memory.fill (local.get $I) (i32.const 0) (i32.shl (i32.add (i32.mul (local.get $kp) (i32.const 3)) (i32.const 4)) (i32.const 3)))
    (local.set $M (f64.add (f64.add (local.get $maxNorm) (f64.sqrt (local.get $rNorm))) (f64.sqrt (local.get $cMax))))
    (local.set $E (f64.mul (f64.mul (f64.mul (f64.convert_i32_u (i32.add (local.get $dp) (i32.const 4))) (f64.const 0x1p-49)) (local.get $M)) (local.get $M)))
    (local.set $at (i32.add (local.get $I) (i32.mul (local.get $kp) (i32.const 24))))
    (f64.store (local.get $at) (f64.mul (f64.sqrt (f64.mul (f64.const 2) (local.get $E))) (f64.const 0x1.00001p+0)))
    (f64.store offset=8 (local.get $at) (local.get $E))
    (f64.store offset=16 (local.get $at) (f64.convert_i32_u (i32.eqz (local.get $P))))
    (if (i32.eqz (local.get $P)) (then (return)))
    ;; how far each centre moved (rounded up), and the largest and second largest move
    (local.set $c (i32.const 0))
    (block $moved
      (loop $move
        (br_if $moved (i32.ge_u (local.get $c) (local.get $k)))
        (local.set $delta (f64.mul (call $distance (local.get $C) (local.get $c) (local.get $P) (local.get $c) (local.get $d)) (f64.const 0x1.0000000001p+0)))
        (f64.store (i32.add (local.get $I) (i32.shl (local.get $c) (i32.const 3))) (local.get $delta))
        (if (f64.gt (local.get $delta) (local.get $first))
          (then
            (local.set $second (local.get $first))
            (local.set $first (local.get $delta)))
          (else (if (f64.gt (local.get $delta) (local.get $second)) (then (local.set $second (local.get $delta))))))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $move)))
    ;; δ′: the most any other centre moved; h: half the distance to the nearest other (rounded down)
    (local.set $c (i32.const 0))
    (block $others
      (loop $other
        (br_if $others (i32.ge_u (local.get $c) (local.get $k)))
        (local.set $at (i32.add (local.get $I) (i32.shl (local.get $c) (i32.const 3))))
        (f64.store (i32.add (local.get $at) (i32.shl (local.get $kp) (i32.const 3)))
          (select (local.get $second) (local.get $first) (f64.eq (f64.load (local.get $at)) (local.get $first))))
        (local.set $nearest (f64.const inf))
        (local.set $j (i32.const 0))
        (block $pairs
          (loop $pair
            (br_if $pairs (i32.ge_u (local.get $j) (local.get $k)))
            (if (i32.ne (local.get $j) (local.get $c))
              (then (local.set $nearest (f64.min (local.get $nearest) (call $distance (local.get $C) (local.get $c) (local.get $C) (local.get $j) (local.get $d))))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $pair)))
        (f64.store (i32.add (local.get $at) (i32.shl (local.get $kp) (i32.const 4)))
          (f64.div (f64.div (local.get $nearest) (f64.const 2)) (f64.const 0x1.0000000001p+0)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $other))))

  ;; ‖A_a − B_b‖ between rows of two row-major k × d arrays, summed as src/cluster/sq-dist.ts's
  ;; sqDist sums it (even features, odd features, then added).
  (func $distance (param $A i32) (param $a i32) (param $B i32) (param $b i32) (param $d i32) (result f64)
    (local $j i32) (local $s0 f64) (local $s1 f64) (local $t f64)
    (local.set $A (i32.add (local.get $A) (i32.shl (i32.mul (local.get $a) (local.get $d)) (i32.const 3))))
    (local.set $B (i32.add (local.get $B) (i32.shl (i32.mul (local.get $b) (local.get $d)) (i32.const 3))))
    (block $done
      (loop $pairs
        (br_if $done (i32.ge_u (i32.add (local.get $j) (i32.const 1)) (local.get $d)))
        (local.set $t (f64.sub (f64.load (local.get $A)) (f64.load (local.get $B))))
        (local.set $s0 (f64.add (local.get $s0) (f64.mul (local.get $t) (local.get $t))))
        (local.set $t (f64.sub (f64.load offset=8 (local.get $A)) (f64.load offset=8 (local.get $B))))
        (local.set $s1 (f64.add (local.get $s1) (f64.mul (local.get $t) (local.get $t))))
        (local.set $A (i32.add (local.get $A) (i32.const 16)))
        (local.set $B (i32.add (local.get $B) (i32.const 16)))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $pairs)))
    (if (i32.lt_u (local.get $j) (local.get $d))
      (then
        (local.set $t (f64.sub (f64.load (local.get $A)) (f64.load (local.get $B))))
        (local.set $s0 (f64.add (local.get $s0) (f64.mul (local.get $t) (local.get $t))))))
    (f64.sqrt (f64.add (local.get $s0) (local.get $s1))))

  ;; q = ‖x − r‖² of rows [start, end) into Q (f64 per row), r at R (dp f64): passWide's bounds
  ;; need it per computed row, and r stays put for a fit, so it is computed once.
  (func (export "norms") (param $X i32) (param $dp i32) (param $start i32) (param $end i32) (param $R i32) (param $Q i32)
    (local $i i32) (local $p i32) (local $pEnd i32) (local $o i32) (local $cv v128) (local $x0 v128) (local $x1 v128)
    (local $q0 v128) (local $q1 v128)
    (local.set $i (local.get $start))
    (block $done
      (loop $pairs
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $p (i32.add (local.get $X) (i32.mul (i32.shr_u (local.get $i) (i32.const 1)) (i32.shl (local.get $dp) (i32.const 4)))))
        (local.set $pEnd (i32.add (local.get $p) (i32.shl (local.get $dp) (i32.const 4))))
        (local.set $o (local.get $R))
        (local.set $q0 (v128.const i64x2 0 0))
        (local.set $q1 (v128.const i64x2 0 0))
        (loop $steps
          (local.set $cv (v128.load (local.get $o)))
          (local.set $x0 (f64x2.sub (v128.load (local.get $p)) (local.get $cv)))
          (local.set $q0 (f64x2.add (local.get $q0) (f64x2.mul (local.get $x0) (local.get $x0))))
          (local.set $x1 (f64x2.sub (v128.load offset=16 (local.get $p)) (local.get $cv)))
          (local.set $q1 (f64x2.add (local.get $q1) (f64x2.mul (local.get $x1) (local.get $x1))))
          (local.set $p (i32.add (local.get $p) (i32.const 32)))
          (local.set $o (i32.add (local.get $o) (i32.const 16)))
          (br_if $steps (i32.lt_u (local.get $p) (local.get $pEnd))))
        ;; both rows' halves added: [q of row i, q of row i + 1] (the padding row's too)
        (v128.store (i32.add (local.get $Q) (i32.shl (local.get $i) (i32.const 3))) (f64x2.add
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $q0) (local.get $q1))
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $q0) (local.get $q1))))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $pairs))))

  ;; Rows i0 .. i0 + m − 1 of X, row-major (d f64 each) at S, into their places in the layout of
  ;; passWide at X (two features a step, a zero after the last of an odd d), and into the
  ;; statistics at A: the sums (dp f64) and sums of squares (dp f64) of x − x₀ per feature, in
  ;; row order (what ../data-stats sums, bit for bit), x₀ itself (dp f64, zero padded), and the
  ;; largest ‖x − x₀‖² (1 f64). i0 is even.
  (func (export "layout") (param $S i32) (param $m i32) (param $i0 i32) (param $d i32) (param $dp i32) (param $X i32) (param $A i32)
    (local $r i32) (local $i i32) (local $src i32) (local $dst i32) (local $j i32) (local $a i32) (local $odd i32)
    (local $v v128) (local $t v128) (local $row2 f64) (local $max f64) (local $tl f64) (local $th f64)
    (local.set $odd (i32.and (local.get $d) (i32.const 1)))
    (local.set $max (f64.load offset=0 (i32.add (local.get $A) (i32.mul (local.get $dp) (i32.const 24)))))
    (block $done
      (loop $rows
        (br_if $done (i32.ge_u (local.get $r) (local.get $m)))
        (local.set $i (i32.add (local.get $i0) (local.get $r)))
        (local.set $src (i32.add (local.get $S) (i32.shl (i32.mul (local.get $r) (local.get $d)) (i32.const 3))))
        (local.set $dst (i32.add (i32.add (local.get $X) (i32.mul (i32.shr_u (local.get $i) (i32.const 1)) (i32.shl (local.get $dp) (i32.const 4))))
          (i32.shl (i32.and (local.get $i) (i32.const 1)) (i32.const 4))))
        (local.set $row2 (f64.const 0))
        (local.set $j (i32.const 0))
        (local.set $a (local.get $A))
        (block $steps
          (loop $step
            (br_if $steps (i32.ge_u (local.get $j) (local.get $dp)))
            ;; features j and j + 1 (for an odd d, the last step's second is the padding: 0)
            (local.set $v (select (v128.load (local.get $src)) (v128.load64_zero (local.get $src))
              (i32.or (i32.eqz (local.get $odd)) (i32.lt_u (i32.add (local.get $j) (i32.const 1)) (local.get $d)))))
            (v128.store (local.get $dst) (local.get $v))
            (local.set $t (f64x2.sub (local.get $v) (v128.load (i32.add (local.get $a) (i32.shl (local.get $dp) (i32.const 4))))))
            (v128.store (local.get $a) (f64x2.add (v128.load (local.get $a)) (local.get $t)))
            (local.set $t (f64x2.mul (local.get $t) (local.get $t)))
            (v128.store (i32.add (local.get $a) (i32.shl (local.get $dp) (i32.const 3)))
              (f64x2.add (v128.load (i32.add (local.get $a) (i32.shl (local.get $dp) (i32.const 3)))) (local.get $t)))
            (local.set $row2 (f64.add (local.get $row2) (f64.add (f64x2.extract_lane 0 (local.get $t)) (f64x2.extract_lane 1 (local.get $t)))))
            (local.set $src (i32.add (local.get $src) (i32.const 16)))
            (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
            (local.set $a (i32.add (local.get $a) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 2)))
            (br $step)))
        (local.set $max (f64.max (local.get $max) (local.get $row2)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rows)))
    (f64.store offset=0 (i32.add (local.get $A) (i32.mul (local.get $dp) (i32.const 24))) (local.get $max)))
)
